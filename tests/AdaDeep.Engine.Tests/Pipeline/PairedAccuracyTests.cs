using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Engine.Tests.Pipeline;

public class PairedAccuracyTests
{
    [Fact]
    public void CountsOnlyTheInputsWhereExactlyOneModelIsRight()
    {
        int[] labels = { 0, 1, 2, 0, 1, 2, 0, 1 };
        int[] original = { 0, 1, 2, 0, 1, 0, 1, 1 };  // wrong on 5 and 6
        int[] candidate = { 0, 1, 2, 0, 2, 2, 1, 1 }; // wrong on 4 and 6

        var paired = PairedAccuracy.Compare(labels, original, candidate, allowedDrop: 0.01, z: 1.645);

        Assert.Equal(8, paired.Samples);
        Assert.Equal(0.75, paired.OriginalAccuracy);
        Assert.Equal(0.75, paired.CandidateAccuracy);
        Assert.Equal(1, paired.CandidateOnly);
        Assert.Equal(1, paired.OriginalOnly);
        Assert.Equal(-1.645 * Math.Sqrt(2) / 8, paired.LossLowerBound, 12);
        Assert.True(paired.WithinDrop);
    }

    [Theory]
    [InlineData(2000, 30, 26, true)]   // 98.x % vs 98.x %, 56 disagreements on 2,000: a 0.2 pt loss is noise
    [InlineData(2000, 60, 10, false)]  // 2.5 pt worse: beyond 0.1 pt with 95 % confidence
    [InlineData(256, 3, 1, true)]      // two net losses on 256 cannot be told from noise
    [InlineData(256, 5, 0, false)]     // five losses and no gain on 256: worse than 0.1 pt
    public void RefusesOnlyWhatIsWorseThanTheAllowedDrop_With95PercentConfidence(int n, int originalOnly, int candidateOnly, bool within)
    {
        var labels = new int[n];
        var original = new int[n];
        var candidate = new int[n];
        for (var i = 0; i < originalOnly; i++)
        {
            candidate[i] = 1;
        }

        for (var i = originalOnly; i < originalOnly + candidateOnly; i++)
        {
            original[i] = 1;
        }

        var paired = PairedAccuracy.Compare(labels, original, candidate, allowedDrop: 0.001, z: 1.645);

        Assert.Equal(originalOnly, paired.OriginalOnly);
        Assert.Equal(candidateOnly, paired.CandidateOnly);
        Assert.Equal(within, paired.WithinDrop);
    }
}
