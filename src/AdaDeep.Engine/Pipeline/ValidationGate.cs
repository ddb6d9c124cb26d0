using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The last gate before anything is written: the compressed model must load and run in ONNX Runtime on held-out
/// inputs at the model's real shape, give every output at the original's shape, and stay close to the original on
/// every output: top-1 agreement for class scores, cosine similarity for dense outputs (and for class scores whose
/// original top-1 never changes, where agreement would say nothing). A model that fails here is never shipped.
/// <para>
/// With labels and the user's accuracy floor, the first output (the one accuracy is measured on) may also pass on the
/// labels: a retrained model that disagrees with the original on 2 % of inputs but is as often right is what the
/// user asked for, and the held-out inputs usually are ones the original was trained on, so agreement alone refuses
/// it. The labelled check is McNemar's paired one: refused only when the candidate is worse than the allowed drop
/// with 95 % confidence (<see cref="LabelledZ"/>) on up to <see cref="MaxLabelledSamples"/> inputs.
/// </para>
/// </summary>
public sealed class ValidationGate
{
    /// <summary>Top-1 agreement a shipped model keeps with the original unless the user's accuracy floor allows less.</summary>
    public const double DefaultMinAgreement = 0.99;

    /// <summary>Mean cosine similarity a dense output keeps with the original's.</summary>
    public const double DefaultMinCosine = 0.99;

    /// <summary>Inputs compared at most (the held-out set's first ones), so the gate stays cheap on large models.</summary>
    public const int MaxSamples = 256;

    /// <summary>Inputs compared when labels judge too: 256 cannot tell a 0.1 pt drop from noise.</summary>
    public const int MaxLabelledSamples = 2048;

    /// <summary>
    /// Bytes of the original's outputs the gate holds for the comparison (the candidate's as many again): dense outputs
    /// compare on fewer inputs (never under <see cref="MinDenseSamples"/>) so a 640×640 segmentation model's 34 MB a
    /// sample cannot take gigabytes.
    /// </summary>
    public const long MaxOutputBytes = 256L << 20;

    /// <summary>Inputs a dense-output model is still compared on when its outputs are large.</summary>
    public const int MinDenseSamples = 8;

    /// <summary>One-sided 95 % normal quantile of the paired (McNemar) accuracy test.</summary>
    public const double LabelledZ = 1.645;

    private readonly OnnxModel _original;
    private readonly Dataset _data;
    private readonly IReadOnlyList<(string Name, ModelOutputs? Outputs)> _expected;

    /// <param name="allowedDrop">The user's allowed accuracy drop, when labels may judge the first output (null: agreement only).</param>
    public ValidationGate(OnnxModel original, Dataset heldOut, bool realData, double minAgreement = DefaultMinAgreement, double minCosine = DefaultMinCosine,
        double? allowedDrop = null)
    {
        _original = original;
        AllowedDrop = heldOut.HasLabels && realData && allowedDrop is { } d ? Math.Max(0, d) : null;
        var data = heldOut.Take(Math.Min(AllowedDrop is null ? MaxSamples : MaxLabelledSamples, heldOut.Count)).ConformTo(original);
        RealData = realData;
        MinAgreement = minAgreement;
        MinCosine = minCosine;
        using var reference = new OrtModelRunner(original);
        _data = WithinOutputBytes(reference, data);
        _expected = reference.RunAll(_data);
    }

    /// <summary>The first inputs whose outputs fit <see cref="MaxOutputBytes"/> (at least <see cref="MinDenseSamples"/>),
    /// sized by the original's outputs on the first input.</summary>
    private static Dataset WithinOutputBytes(OrtModelRunner reference, Dataset data)
    {
        if (data.Count <= MinDenseSamples)
        {
            return data;
        }

        var perSample = reference.RunAll(data.Take(1)).Sum(o => o.Outputs is { } v ? 4L * v.SampleSize : 0);
        var fits = perSample == 0 ? data.Count : (int)Math.Min(data.Count, MaxOutputBytes / perSample);
        return fits >= data.Count ? data : data.Take(Math.Max(MinDenseSamples, fits));
    }

    public bool RealData { get; }

    public double MinAgreement { get; }

    public double MinCosine { get; }

    /// <summary>The accuracy drop the labelled check allows; null when only agreement judges class scores.</summary>
    public double? AllowedDrop { get; }

    /// <summary>
    /// The agreement floor of a run: <see cref="DefaultMinAgreement"/> (or the user's), lowered to 1 − the allowed
    /// accuracy drop only when the user's accuracy floor is judged on labels or was given explicitly: a user who
    /// accepts a drop of d accepts at least d of disagreement.
    /// </summary>
    public static double AgreementFloor(double? requested, double allowedDrop, bool userFloor) =>
        userFloor ? Math.Min(requested ?? DefaultMinAgreement, 1 - Math.Max(0, allowedDrop)) : requested ?? DefaultMinAgreement;

    /// <summary>Compares <paramref name="candidate"/> with the original; ADA9001 when it does not run or changes an output's shape (a bug of a rewrite).</summary>
    public ValidationReport Check(OnnxModel candidate)
    {
        IReadOnlyList<(string Name, ModelOutputs? Outputs)> actual;
        try
        {
            using var runner = new OrtModelRunner(candidate);
            actual = runner.RunAll(_data);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new AdaDeepException(ErrorCodes.Internal,
                $"the compressed model does not run in ONNX Runtime ({e.Message}); nothing was written", _original.SourcePath, e);
        }

        var comparisons = new List<OutputComparison>();
        foreach (var (name, expected) in _expected)
        {
            var match = actual.FirstOrDefault(a => a.Name == name);
            if (match.Name is null)
            {
                throw new AdaDeepException(ErrorCodes.Internal, $"the compressed model lost the output '{name}'; nothing was written", _original.SourcePath);
            }

            if (expected is null || match.Outputs is null)
            {
                comparisons.Add(new OutputComparison { Name = name, JudgedBy = "nothing", Passed = true, NotCompared = "not a float32 output with the batch first" });
                continue;
            }

            if (!expected.SampleShape.SequenceEqual(match.Outputs.SampleShape) || expected.Count != match.Outputs.Count)
            {
                throw new AdaDeepException(ErrorCodes.Internal,
                    $"the compressed model's output '{name}' has shape [{string.Join(",", match.Outputs.SampleShape)}], the original's [{string.Join(",", expected.SampleShape)}]; nothing was written",
                    _original.SourcePath);
            }

            comparisons.Add(Compare(name, expected, match.Outputs, labelled: comparisons.Count == 0));
        }

        var compared = comparisons.Where(c => c.NotCompared is null).ToArray();
        return new ValidationReport
        {
            Samples = _data.Count,
            InputShape = "Nx" + string.Join("x", _data.SampleShape),
            Data = _data.Source,
            RealData = RealData,
            MinAgreement = MinAgreement,
            MinCosine = MinCosine,
            Outputs = comparisons,
            Passed = compared.Length > 0 && compared.All(c => c.Passed),
            Meaningful = compared.Any(c => c.Degenerate is null),
        };
    }

    private OutputComparison Compare(string name, ModelOutputs expected, ModelOutputs actual, bool labelled)
    {
        var n = expected.Count;
        var size = expected.SampleSize;
        double maxAbs = 0, sumAbs = 0, sumCos = 0, minCos = 1;
        var finite = true;
        for (var i = 0; i < n; i++)
        {
            var e = expected.Sample(i);
            var a = actual.Sample(i);
            double dot = 0, ee = 0, aa = 0;
            for (var j = 0; j < size; j++)
            {
                if (!float.IsFinite(a[j]))
                {
                    finite = false;
                    continue;
                }

                var d = Math.Abs((double)a[j] - e[j]);
                maxAbs = Math.Max(maxAbs, d);
                sumAbs += d;
                dot += (double)a[j] * e[j];
                ee += (double)e[j] * e[j];
                aa += (double)a[j] * a[j];
            }

            var cos = ee == 0 && aa == 0 ? 1 : ee == 0 || aa == 0 ? 0 : dot / Math.Sqrt(ee * aa);
            sumCos += cos;
            minCos = Math.Min(minCos, cos);
        }

        var meanCos = n == 0 ? 0 : sumCos / n;
        var nonUnit = expected.SampleShape.Where(d => d != 1).ToArray();
        var isClassifier = nonUnit.Length == 1 && nonUnit[0] >= 2;
        double? agreement = null;
        PairedAccuracy? paired = null;
        string? degenerate = Constant(expected) ? "the original's output is the same for every input" : null;
        if (isClassifier)
        {
            var reference = expected.Top1();
            var predicted = actual.Top1();
            agreement = AccuracyEvaluator.Agreement(predicted, reference);
            if (degenerate is null && n > 1 && reference.Distinct().Count() == 1)
            {
                degenerate = $"the original predicts class {reference[0]} for every input, so top-1 agreement says nothing";
            }

            if (labelled && AllowedDrop is { } drop && _data.Labels is { } labels && labels.Length == n && labels.All(l => l >= 0 && l < nonUnit[0]))
            {
                paired = PairedAccuracy.Compare(labels, reference, predicted, drop, LabelledZ);
            }
        }

        // Class scores are judged by what a caller reads (the top-1 class) unless that never changes; dense outputs by cosine.
        var byAgreement = agreement is not null && degenerate is null;
        var passed = finite && (byAgreement ? agreement >= MinAgreement || paired?.WithinDrop == true : meanCos >= MinCosine);
        return new OutputComparison
        {
            Name = name,
            SampleShape = expected.SampleShape,
            IsClassifier = isClassifier,
            Top1Agreement = agreement,
            MaxAbsDiff = finite ? maxAbs : double.PositiveInfinity,
            MeanAbsDiff = n * size == 0 ? 0 : sumAbs / (n * size),
            MeanCosine = meanCos,
            MinCosine = minCos,
            Degenerate = degenerate,
            Labelled = paired,
            JudgedBy = byAgreement
                ? $"top-1 agreement ≥ {MinAgreement:P1}" + (paired is { } p ? $" or {p.Describe()}" : "")
                : $"mean cosine ≥ {MinCosine:0.###}" + (finite ? "" : " (non-finite outputs)"),
            Passed = passed,
        };
    }

    /// <summary>True when every element of the output takes the same value (to float precision) on every input.</summary>
    private static bool Constant(ModelOutputs outputs)
    {
        if (outputs.Count < 2)
        {
            return false;
        }

        var first = outputs.Sample(0);
        for (var i = 1; i < outputs.Count; i++)
        {
            var row = outputs.Sample(i);
            for (var j = 0; j < row.Length; j++)
            {
                if (Math.Abs(row[j] - first[j]) > 1e-6 * (1 + Math.Abs(first[j])))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
