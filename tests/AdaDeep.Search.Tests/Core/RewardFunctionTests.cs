using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Tests.Core;

public class RewardFunctionTests
{
    private static readonly ConfigurationMetrics Original = new(0.9, 20, 10, 10, 20_000);
    private static readonly SearchBudgets Budgets = new() { LatencyMs = 12, StorageMB = 8, MinAccuracy = 0.85 };

    private static RewardFunction Paper() => new(RewardWeights.Default, Original, Budgets);

    [Fact]
    public void WithinBudget_MatchesHandComputedEq8()
    {
        // N_A = (0.889 − 0.85) / (0.9 − 0.85) = 0.78; N_E = (10 − 6) / 10 = 0.4 → R1 = 0.6·0.78 + 0.4·0.4 = 0.628.
        // N_T = (12 − 11) / 12 = 1/12; N_S = (8 − 7) / 8 = 0.125 → R2 = 0.5·(1/12) + 0.5·0.125 = 0.1041667.
        var r = Paper().Compute(new ConfigurationMetrics(0.889, 11, 7, 6, 0));
        Assert.Equal(0.628, r.R1, 9);
        Assert.Equal(0.5 / 12 + 0.0625, r.R2, 9);
        Assert.Equal(r.R1 + r.R2, r.Total, 12);
    }

    [Fact]
    public void OverLatencyAndStorage_R2IsClearlyNegative()
    {
        // Relative misses (16 − 12)/12 = 1/3 and (8.5 − 8)/8 = 0.0625 → R2 = −(1 + 1/3 + 0.0625).
        var r = Paper().Compute(new ConfigurationMetrics(0.895, 16, 8.5, 10, 0));
        Assert.Equal(-(1 + 1.0 / 3 + 0.0625), r.R2, 9);
        Assert.Equal(0.6 * 0.9, r.R1, 9);
    }

    [Fact]
    public void OverOneBudget_DropsTheOtherTermsSurplus()
    {
        // Latency met (its surplus 1/12 is dropped), storage 1 MB over 8: R2 = −(1 + 1/8).
        var r = Paper().Compute(new ConfigurationMetrics(0.9, 11, 9, 10, 0));
        Assert.Equal(-1.125, r.R2, 9);
    }

    [Fact]
    public void EveryConfigurationWithinBudget_OutranksEveryOneOver()
    {
        var reward = Paper();
        var within = reward.Compute(new ConfigurationMetrics(0.9, 12, 8, 10, 0)).R2;
        var barelyOver = reward.Compute(new ConfigurationMetrics(0.9, 12.0001, 0.1, 10, 0)).R2;
        Assert.Equal(0, within, 12);
        Assert.True(barelyOver <= -1, $"R2 over budget = {barelyOver}");
    }

    [Fact]
    public void BelowMinimumAccuracy_R1IsBelowEveryFloorMeetingReward()
    {
        // Relative miss (0.85 − 0.84)/0.85; the energy surplus is dropped: R1 = −(offset + 1 + 0.01/0.85), the offset
        // from the bounds: max R2 = 0.5 + 0.5; lowest floor-meeting R1 + R2 = min(−(1 + 5), 0.4·−5) − (1 + 2·5) = −17.
        var reward = Paper();
        Assert.Equal(-17, reward.LowestFloorMeetingReward, 12);
        Assert.Equal(1 - 1 + 17, reward.FloorMissOffset, 12);
        var r = reward.Compute(new ConfigurationMetrics(0.84, 11, 7, 6, 0));
        Assert.Equal(-(17 + 1 + 0.01 / 0.85), r.R1, 9);
        Assert.True(r.R2 > 0);
    }

    [Fact]
    public void AnyFloorMeetingConfiguration_OutranksAnyFloorMissingOne()
    {
        // Hard floor: random metrics around every budget (energy too), on a watch-like and the paper's weighting.
        var random = new Random(7);
        foreach (var weights in new[] { RewardWeights.Default, new RewardWeights(0.1, 0.9, 0.4, 0.6), new RewardWeights(0.9, 0.1, 0.9, 0.1) })
        {
            var reward = new RewardFunction(weights, Original, Budgets with { EnergyMJ = 8 });
            double lowestMeeting = double.MaxValue, highestMissing = double.MinValue;
            for (var i = 0; i < 20_000; i++)
            {
                // Extremes included: latency/storage/energy far over (capped misses) or near zero (terms near 1).
                var m = new ConfigurationMetrics(random.NextDouble(), random.NextDouble() * 200, random.NextDouble() * 100, random.NextDouble() * 100, 0);
                var total = reward.Compute(m).Total;
                if (m.Accuracy >= Budgets.MinAccuracy)
                {
                    lowestMeeting = Math.Min(lowestMeeting, total);
                }
                else
                {
                    highestMissing = Math.Max(highestMissing, total);
                }
            }

            Assert.True(lowestMeeting > highestMissing, $"{weights}: lowest floor-meeting {lowestMeeting}, highest floor-missing {highestMissing}");
            // Both bounds are reached: the worst meeting case (everything else capped) and the best missing one.
            var worstMeeting = reward.Compute(new ConfigurationMetrics(0.85, 1e6, 1e6, 1e6, 0)).Total;
            var bestMissing = reward.Compute(new ConfigurationMetrics(0.8499999, 0, 0, 0, 0)).Total;
            Assert.Equal(reward.LowestFloorMeetingReward, worstMeeting, 9);
            Assert.True(worstMeeting > bestMissing, $"{weights}: {worstMeeting} vs {bestMissing}");
        }
    }

    [Fact]
    public void OverTheEnergyBudget_R1IsClearlyNegative()
    {
        // Relative miss (6 − 5)/5 = 0.2; the accuracy surplus is dropped: R1 = −(1 + 0.2).
        var reward = new RewardFunction(RewardWeights.Default, Original, Budgets with { EnergyMJ = 5 });
        Assert.Equal(-1.2, reward.Compute(new ConfigurationMetrics(0.9, 11, 7, 6, 0)).R1, 9);
        Assert.True(reward.IsOutsideObjectiveBounds(new ConfigurationMetrics(0.9, 11, 7, 6, 0)));
        Assert.False(reward.IsOutsideObjectiveBounds(new ConfigurationMetrics(0.9, 11, 7, 5, 0)));
    }

    [Fact]
    public void CollapsedAccuracy_NeverOutscoresAKeptOne_WhateverTheWeights()
    {
        // A watch-like weighting (μ1 = 0.1): a cheap model at 13% accuracy against a dearer one at 91%, floor 95%.
        var reward = new RewardFunction(new RewardWeights(0.1, 0.9, 0.4, 0.6), Original, Budgets with { MinAccuracy = 0.95 });
        var collapsed = reward.Compute(new ConfigurationMetrics(0.13, 6, 2, 3, 0));
        var kept = reward.Compute(new ConfigurationMetrics(0.91, 11.9, 7.9, 9, 0));
        Assert.True(kept.Total > collapsed.Total, $"kept {kept.Total}, collapsed {collapsed.Total}");
    }

    [Fact]
    public void RelativeMisses_AreCapped()
    {
        var r = Paper().Compute(new ConfigurationMetrics(0.9, 1200, 8, 10, 0)); // latency 100× its budget
        Assert.Equal(-(1 + 5), r.R2, 9);
    }

    [Fact]
    public void LowerEnergy_EarnsHigherR1()
    {
        var reward = Paper();
        var low = reward.Compute(new ConfigurationMetrics(0.9, 10, 5, 2, 0)).R1;
        var high = reward.Compute(new ConfigurationMetrics(0.9, 10, 5, 9, 0)).R1;
        Assert.True(low > high);
        Assert.Equal(0.4 * (0.8 - 0.1), low - high, 9);
    }

    [Fact]
    public void EnergyBudget_IsTheEnergyReference()
    {
        var reward = new RewardFunction(RewardWeights.Default, Original, Budgets with { EnergyMJ = 5 });
        Assert.Equal(5, reward.EnergyReference);
        Assert.Equal(-0.2, reward.EnergyTerm(new ConfigurationMetrics(0.9, 10, 5, 6, 0)), 12);
    }

    [Fact]
    public void NoBudgets_MeasuresAgainstTheOriginal()
    {
        var reward = new RewardFunction(RewardWeights.Default, Original, SearchBudgets.None);
        var r = reward.Compute(Original);
        Assert.Equal(0.6, r.R1, 12); // N_A = A / A_ref = 1, N_E = 0
        Assert.Equal(0, r.R2, 12);
        Assert.False(reward.IsOverConstraintBudget(new ConfigurationMetrics(0.9, 40, 40, 40, 0)));
    }

    [Fact]
    public void AccuracySpan_IsFlooredAndTermsClamped()
    {
        var reward = new RewardFunction(RewardWeights.Default, Original, Budgets with { MinAccuracy = 0.89 });
        Assert.Equal(RewardFunction.MinAccuracySpan, reward.AccuracySpan, 12);
        Assert.Equal(0.2, reward.AccuracyTerm(Original), 9);
        Assert.Equal(reward.NormalizedFloor, reward.AccuracyTerm(Original with { Accuracy = 0.1 }));
    }

    [Theory]
    [InlineData(-1.0, null, null)]
    [InlineData(null, 0.0, null)]
    [InlineData(null, null, 1.5)]
    public void InvalidBudgets_Throw(double? latency, double? storage, double? accuracy)
    {
        var budgets = new SearchBudgets { LatencyMs = latency, StorageMB = storage, MinAccuracy = accuracy };
        var e = Assert.Throws<AdaDeepException>(() => budgets.Validate());
        Assert.Equal(ErrorCodes.BudgetInvalid, e.Code);
    }

    [Fact]
    public void BudgetCheck_SaysByHowMuchEachIsMissed()
    {
        var checks = (Budgets with { EnergyMJ = 5 }).Check(new ConfigurationMetrics(0.8, 15, 7, 6, 0));
        Assert.Equal(new[] { "latencyMs", "storageMB", "energyMJ", "accuracy" }, checks.Select(c => c.Name));
        Assert.Equal(3, checks[0].Miss, 12);
        Assert.Equal(0.25, checks[0].MissFraction, 12);
        Assert.True(checks[1].Met);
        Assert.Equal(1, checks[2].Miss, 12);
        Assert.Equal(0.05, checks[3].Miss, 9);
        Assert.False(checks[3].Met);
    }
}
