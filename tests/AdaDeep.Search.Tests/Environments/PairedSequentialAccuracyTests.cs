using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Environments;
using AdaDeep.TestUtilities;

namespace AdaDeep.Search.Tests.Environments;

public class PairedSequentialAccuracyTests
{
    private static readonly OnnxModel Reference = TinyModels.LeNetLike();

    /// <summary>A candidate that answers differently from the reference on some inputs: fc1 90 % pruned.</summary>
    private static readonly OnnxModel Candidate =
        TechniqueRegistry.TryGet("W3@90")!.Apply(Reference, "fc1", TechniqueOptions.Default);

    /// <summary>Random inputs labelled with the reference's answer, every third label moved one class on, so both models
    /// make mistakes.</summary>
    private static Dataset Labelled(int count, int seed)
    {
        var inputs = CompressionEnvironmentTests.Inputs(count, seed);
        var top1 = AccuracyEvaluator.PredictTop1(Reference, inputs);
        return inputs with { Labels = top1.Select((c, i) => i % 3 == 0 ? (c + 1) % 10 : c).ToArray() };
    }

    /// <summary>Blocks of different sizes (40, 24, 16) so the samples a candidate used say which blocks it was measured on.</summary>
    private static Dataset[] Blocks() => new[] { Labelled(40, 3), Labelled(24, 4), Labelled(16, 5) };

    [Fact]
    public void Candidates_AreScoredAsTheirPairedDifference_OnTheSameFirstBlock()
    {
        var blocks = Blocks();
        var estimator = new PairedSequentialAccuracy(Reference, blocks);
        var referenceRaw = AccuracyEvaluator.Evaluate(Reference, blocks[0]).Accuracy;
        var candidateRaw = AccuracyEvaluator.Evaluate(Candidate, blocks[0]).Accuracy;

        Assert.Equal(referenceRaw, estimator.ReferenceAccuracy, 12);
        var same = estimator.Estimate(Reference, floor: null);
        Assert.Equal((referenceRaw, 40, 0, 0), (same.Accuracy, same.Samples, same.CandidateOnly, same.ReferenceOnly));

        var estimate = estimator.Estimate(Candidate, floor: null);
        Assert.Equal(40, estimate.Samples);
        Assert.Equal(candidateRaw, estimate.RawAccuracy, 12);
        Assert.True(estimate.CandidateOnly + estimate.ReferenceOnly > 0, "the pruned candidate must answer differently somewhere");
        Assert.Equal(referenceRaw + ((estimate.CandidateOnly - estimate.ReferenceOnly) / 40.0), estimate.Accuracy, 12);
        // Unanchored, the paired estimate is the plain accuracy on the same samples.
        Assert.Equal(candidateRaw, estimate.Accuracy, 12);
    }

    [Fact]
    public void Estimates_AreAnchoredToTheReferenceAccuracyGiven()
    {
        var estimator = new PairedSequentialAccuracy(Reference, Blocks(), referenceAccuracy: 0.9);
        Assert.Equal(0.9, estimator.Estimate(Reference, null).Accuracy, 12);
        var e = estimator.Estimate(Candidate, null);
        Assert.Equal(0.9 + ((e.CandidateOnly - e.ReferenceOnly) / 40.0), e.Accuracy, 12);
    }

    [Fact]
    public void OnlyCloseFloorDecisions_SpendMoreBlocks_InTheSameOrder()
    {
        var estimator = new PairedSequentialAccuracy(Reference, Blocks());
        var first = estimator.Estimate(Candidate, floor: null);

        // Far from any floor: the first block settles it.
        Assert.Equal(40, estimator.Estimate(Candidate, floor: first.Accuracy - 0.5).Samples);
        Assert.Equal(40, estimator.Estimate(Candidate, floor: first.Accuracy + 0.5).Samples);
        Assert.Equal(0, estimator.Extended);

        // With the margin that wide, every decision stays close: every block is spent, in order.
        estimator = new PairedSequentialAccuracy(Reference, Blocks(), z: 1e6);
        var close = estimator.Estimate(Candidate, floor: first.Accuracy);
        Assert.Equal(40 + 24 + 16, close.Samples);
        Assert.Equal(estimator.MaxSamples, close.Samples);
        Assert.Equal(1, estimator.Extended);
        Assert.Equal(40, estimator.ExtraSamples);
        var all = new[] { Blocks()[0], Blocks()[1], Blocks()[2] };
        var rawOnAll = all.Sum(b => AccuracyEvaluator.Evaluate(Candidate, b).Accuracy * b.Count) / 80;
        Assert.Equal(rawOnAll, close.RawAccuracy, 9);

        // The reference itself is never a close call (no discordant sample), even at the floor.
        Assert.Equal(40, estimator.Estimate(Reference, floor: estimator.ReferenceAccuracy).Samples);
    }

    [Fact]
    public void WithoutLabels_TheReferenceIsTheTruth()
    {
        var blocks = new[] { CompressionEnvironmentTests.Inputs(40, 3) };
        var estimator = new PairedSequentialAccuracy(Reference, blocks);
        Assert.False(estimator.HasLabels);
        Assert.Equal(1.0, estimator.ReferenceAccuracy);
        var agreement = AccuracyEvaluator.Evaluate(Candidate, blocks[0], Reference).Accuracy;
        var e = estimator.Estimate(Candidate, null);
        Assert.Equal(agreement, e.Accuracy, 12);
        Assert.Equal(0, e.CandidateOnly);
    }
}
