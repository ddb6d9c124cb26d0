using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Search.Environments;

/// <summary>
/// The accuracy the search ranks candidates by (issue 24). Two things make 256 samples enough where a plain accuracy
/// on them is not (≈ 2 pt standard error, as large as the differences ranked):
/// <list type="bullet">
/// <item><b>Paired</b>: every candidate is scored on the same samples, in blocks, and as its difference from the
/// reference model on those samples: estimate = <see cref="ReferenceAccuracy"/> + mean(c_i − o_i), c_i/o_i whether the
/// candidate/reference is right on sample i. Only the samples where exactly one is right carry noise, so the error is
/// √(discordant)/n instead of √(A(1 − A)/n): a candidate that changes 8 of 256 answers is known to ±1 pt, not ±2.</item>
/// <item><b>Sequential</b>: a candidate whose estimate is within z standard errors of the accuracy floor gets the next
/// block of samples (the same block for every candidate), until the decision is clear or the pool is spent — more
/// samples only where the floor decision is close.</item>
/// </list>
/// With unlabelled data the truth is the reference's own top-1 (agreement), so the reference scores 1 on every sample.
/// </summary>
public sealed class PairedSequentialAccuracy
{
    private readonly OnnxModel _reference;
    private readonly Dataset[] _blocks;
    private readonly int[]?[] _truth;
    private readonly bool[]?[] _referenceRight;

    /// <param name="reference">The model candidates are paired with (the original).</param>
    /// <param name="blocks">Sample blocks in the order they are spent; the first is always measured.</param>
    /// <param name="referenceAccuracy">The reference's accuracy the estimates are anchored to (e.g. on the whole held-out
    /// set, where it is known exactly); null: its accuracy on the first block.</param>
    /// <param name="z">Standard errors within which the floor decision counts as close.</param>
    public PairedSequentialAccuracy(OnnxModel reference, IReadOnlyList<Dataset> blocks, double? referenceAccuracy = null, double z = DefaultZ)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0 || blocks.Any(b => b.Count == 0))
        {
            throw new ArgumentException("at least one block, none empty", nameof(blocks));
        }

        _reference = reference;
        _blocks = blocks.ToArray();
        _truth = new int[]?[_blocks.Length];
        _referenceRight = new bool[]?[_blocks.Length];
        Z = z;
        var right = ReferenceRight(0);
        ReferenceAccuracy = referenceAccuracy ?? right.Count(r => r) / (double)right.Length;
    }

    /// <summary>Two standard errors: a floor decision about 95 % sure (two-sided) before the next block is skipped.</summary>
    public const double DefaultZ = 2.0;

    public double Z { get; }

    /// <summary>The reference's accuracy every estimate is its difference from.</summary>
    public double ReferenceAccuracy { get; }

    /// <summary>Whether the data has labels ("accuracy") or the reference's predictions are the truth ("agreement").</summary>
    public bool HasLabels => _blocks[0].HasLabels;

    /// <summary>Samples in the first block: what every candidate is measured on.</summary>
    public int FirstBlockSamples => _blocks[0].Count;

    /// <summary>Samples in all blocks: the most one candidate is measured on.</summary>
    public int MaxSamples => _blocks.Sum(b => b.Count);

    /// <summary>Candidates measured on more than the first block because their floor decision was close.</summary>
    public int Extended { get; private set; }

    /// <summary>Extra samples those candidates were measured on, all together.</summary>
    public long ExtraSamples { get; private set; }

    /// <summary>
    /// The candidate's paired estimate, with as many blocks as the decision against <paramref name="floor"/> needs
    /// (null floor: the first block only).
    /// </summary>
    public PairedEstimate Estimate(OnnxModel candidate, double? floor)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        int n = 0, candidateOnly = 0, referenceOnly = 0, candidateRight = 0;
        var blocksUsed = 0;
        for (var k = 0; k < _blocks.Length; k++)
        {
            var predictions = AccuracyEvaluator.PredictTop1(candidate, _blocks[k]);
            var truth = Truth(k);
            var reference = ReferenceRight(k);
            for (var i = 0; i < predictions.Length; i++)
            {
                var c = predictions[i] == truth[i];
                candidateRight += c ? 1 : 0;
                candidateOnly += c && !reference[i] ? 1 : 0;
                referenceOnly += !c && reference[i] ? 1 : 0;
            }

            n += predictions.Length;
            blocksUsed++;
            var estimate = Anchor(candidateOnly, referenceOnly, n);
            if (floor is not { } f || !IsClose(estimate, f, candidateOnly + referenceOnly, n))
            {
                break;
            }
        }

        if (blocksUsed > 1)
        {
            Extended++;
            ExtraSamples += n - _blocks[0].Count;
        }

        return new PairedEstimate(Anchor(candidateOnly, referenceOnly, n), n, (double)candidateRight / n, candidateOnly, referenceOnly);
    }

    /// <summary>Reference accuracy plus the paired difference, clamped to [0, 1].</summary>
    private double Anchor(int candidateOnly, int referenceOnly, int n) =>
        Math.Clamp(ReferenceAccuracy + ((double)(candidateOnly - referenceOnly) / n), 0, 1);

    /// <summary>Within z standard errors of the floor, the error of a paired difference being √(discordant)/n.
    /// No discordant sample: the candidate answers as the reference does, which is no close call.</summary>
    private bool IsClose(double estimate, double floor, int discordant, int n) =>
        discordant > 0 && Math.Abs(estimate - floor) <= Z * Math.Sqrt(discordant) / n;

    private int[] Truth(int block) => _truth[block] ??= _blocks[block].Labels?.ToArray() ?? AccuracyEvaluator.PredictTop1(_reference, _blocks[block]);

    private bool[] ReferenceRight(int block)
    {
        if (_referenceRight[block] is { } cached)
        {
            return cached;
        }

        var truth = Truth(block);
        var right = _blocks[block].HasLabels
            ? AccuracyEvaluator.PredictTop1(_reference, _blocks[block]).Select((p, i) => p == truth[i]).ToArray()
            : Enumerable.Repeat(true, truth.Length).ToArray();
        _referenceRight[block] = right;
        return right;
    }
}
