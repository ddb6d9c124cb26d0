using AdaDeep.Devices.Costs;

namespace AdaDeep.Search.Core;

/// <summary>
/// The reward of paper Eq. 8, split into R1 (objective gain: accuracy and energy) and R2 (constraint
/// satisfaction: latency and storage), each term normalised by N(x) = (x − x_min)/(x_max − x_min), with the
/// device's weights μ1..μ4 (<see cref="RewardWeights.ForDevice"/>).
///
/// R1 = μ1·N(A − A_min) + μ2·N(E_max − E)
/// R2 = μ3·N(T_bgt − T) + μ4·N(S_bgt − S_p)
///
/// Energy sign: Eq. 8 prints R1 = μ1·N(A − A_min) − μ2·N(E_max − E), which would reward a model for using
/// MORE energy, contradicting Eq. 1 and Eq. 6 (which add μ2·N(E_max − E)). We follow Eq. 1/6: lower energy
/// earns a higher R1.
///
/// Ranges (x_min is where the term is zero, x_max where it is one):
/// <list type="bullet">
/// <item>Accuracy: x = A − A_min over [0, A_ref − A_min], A_ref the original model's accuracy, A_min the
/// minimum-accuracy budget (0 when unset). The span is floored at <see cref="MinAccuracySpan"/> so a budget
/// close to the original accuracy cannot blow the term up.</item>
/// <item>Energy: x = E_max − E over [0, E_max], E_max the energy budget or, when unset, the original energy.
/// 0 at E_max, 1 at zero energy, negative above E_max.</item>
/// <item>Latency: x = T_bgt − T over [0, T_bgt], T_bgt the latency budget or, when unset, the original latency.</item>
/// <item>Storage: x = S_bgt − S_p over [0, S_bgt], S_bgt the storage budget or, when unset, the original S_p.</item>
/// </list>
/// Every normalised term is clamped below at <see cref="NormalizedFloor"/> so one wrecked figure cannot dominate
/// the learning signal.
///
/// Budgets the user set are constraints (paper section 2: "user demands are expressed as a set of constraints on
/// accuracy, energy, latency and storage"). A configuration that misses one gets, in the reward that holds that
/// figure, −(<see cref="OverBudgetPenalty"/> + the sum of its relative misses) instead of the μ-weighted terms:
/// R2 = −(penalty + (T − T_bgt)/T_bgt⁺ + (S − S_bgt)/S_bgt⁺) when T or S is over its budget, and
/// R1 = −(penalty + (A_min − A)/A_min⁺ + (E − E_max)/E_max⁺) when A is below the minimum or E over the energy
/// budget (x⁺: only the budgets missed count, each relative miss capped at −<see cref="NormalizedFloor"/>).
/// So every configuration within budget has R2 ≥ 0 (R1 ≥ μ-weighted terms) and every one over has a clearly negative
/// value that grows with how far it is over — unweighted, because a model whose accuracy collapsed must never
/// outscore one that kept it just because the device's μ1 is small (a watch has μ1 ≈ 0.1).
///
/// The accuracy floor is hard (a departure from Eq. 8, docs/search.md): a configuration below the minimum accuracy
/// gets R1 = −(<see cref="FloorMissOffset"/> + penalty + its relative misses), the offset chosen so that its R1 + R2
/// is below the lowest R1 + R2 any configuration meeting the floor can get. Graded, a floor miss cost about as much as
/// a storage miss, so a model that failed the floor could outrank one that met it — and the floor is the one budget no
/// later stage can repair (the gate then ships a safer model than the search chose).
/// </summary>
public sealed class RewardFunction
{
    /// <summary>Smallest accuracy span used to normalise A − A_min (one accuracy point is then at most 1/5 of the term).</summary>
    public const double MinAccuracySpan = 0.05;

    public RewardFunction(RewardWeights weights, ConfigurationMetrics original, SearchBudgets budgets,
        double overBudgetPenalty = 1.0, double normalizedFloor = -5.0)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(budgets);
        if (overBudgetPenalty < 0 || normalizedFloor > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(overBudgetPenalty), "penalty must be ≥ 0 and floor ≤ 0");
        }

        Weights = weights;
        Original = original;
        Budgets = budgets;
        OverBudgetPenalty = overBudgetPenalty;
        NormalizedFloor = normalizedFloor;
        AccuracyFloor = budgets.MinAccuracy ?? 0;
        AccuracySpan = Math.Max(original.Accuracy - AccuracyFloor, MinAccuracySpan);
        EnergyReference = Positive(budgets.EnergyMJ ?? original.EnergyMJ);
        LatencyReference = Positive(budgets.LatencyMs ?? original.LatencyMs);
        StorageReference = Positive(budgets.StorageMB ?? original.StorageMB);
        FloorMissOffset = MaxR2 - overBudgetPenalty - LowestFloorMeetingReward;
    }

    /// <summary>The largest R2 any configuration can get: each normalised term is at most 1.</summary>
    private double MaxR2 => Weights.Mu3 + Weights.Mu4;

    /// <summary>
    /// The lowest R1 + R2 of a configuration that meets the accuracy floor: R1 at worst the energy-budget miss
    /// (−(penalty + cap)) or, within the energy budget, μ2 times the clamped energy term (the accuracy term is ≥ 0 at or
    /// above the floor); R2 at worst both constraint budgets missed by the cap.
    /// </summary>
    public double LowestFloorMeetingReward =>
        Math.Min(-(OverBudgetPenalty - NormalizedFloor), Weights.Mu2 * NormalizedFloor)
        - (OverBudgetPenalty - (2 * NormalizedFloor));

    /// <summary>Added to the penalty of a configuration below the accuracy floor, so it ranks below every one that meets it.</summary>
    public double FloorMissOffset { get; }

    /// <summary>True when the user (or the pipeline's default drop) set a minimum accuracy and the configuration is below it.</summary>
    public bool MissesAccuracyFloor(ConfigurationMetrics m) => Budgets.MinAccuracy is { } a && m.Accuracy < a;

    public RewardWeights Weights { get; }

    public ConfigurationMetrics Original { get; }

    public SearchBudgets Budgets { get; }

    public double OverBudgetPenalty { get; }

    public double NormalizedFloor { get; }

    /// <summary>A_min: where the accuracy term is zero.</summary>
    public double AccuracyFloor { get; }

    /// <summary>x_max − x_min of the accuracy term.</summary>
    public double AccuracySpan { get; }

    /// <summary>E_max: energy budget, else the original energy.</summary>
    public double EnergyReference { get; }

    /// <summary>T_bgt: latency budget, else the original latency.</summary>
    public double LatencyReference { get; }

    /// <summary>S_bgt: storage budget, else the original S_p.</summary>
    public double StorageReference { get; }

    /// <summary>N(x) = (x − x_min)/(x_max − x_min), clamped below at the floor.</summary>
    public double Normalize(double x, double xMin, double xMax) => Math.Max(NormalizedFloor, (x - xMin) / (xMax - xMin));

    public double AccuracyTerm(ConfigurationMetrics m) => Normalize(m.Accuracy - AccuracyFloor, 0, AccuracySpan);

    public double EnergyTerm(ConfigurationMetrics m) => Normalize(EnergyReference - m.EnergyMJ, 0, EnergyReference);

    public double LatencyTerm(ConfigurationMetrics m) => Normalize(LatencyReference - m.LatencyMs, 0, LatencyReference);

    public double StorageTerm(ConfigurationMetrics m) => Normalize(StorageReference - m.StorageMB, 0, StorageReference);

    /// <summary>True when the user set a minimum accuracy or an energy budget and the configuration misses it.</summary>
    public bool IsOutsideObjectiveBounds(ConfigurationMetrics m) =>
        (Budgets.MinAccuracy is { } a && m.Accuracy < a) || (Budgets.EnergyMJ is { } e && m.EnergyMJ > e);

    /// <summary>True when a latency or storage budget that the user set is exceeded.</summary>
    public bool IsOverConstraintBudget(ConfigurationMetrics m) =>
        (Budgets.LatencyMs is { } t && m.LatencyMs > t) || (Budgets.StorageMB is { } s && m.StorageMB > s);

    public RewardValue Compute(ConfigurationMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var c = Weights;
        var r1 = MissesAccuracyFloor(m)
            ? -(FloorMissOffset + OverBudgetPenalty + Miss(Budgets.MinAccuracy, m.Accuracy, atLeast: true) + Miss(Budgets.EnergyMJ, m.EnergyMJ, atLeast: false))
            : IsOutsideObjectiveBounds(m)
            ? -(OverBudgetPenalty + Miss(Budgets.MinAccuracy, m.Accuracy, atLeast: true) + Miss(Budgets.EnergyMJ, m.EnergyMJ, atLeast: false))
            : c.Mu1 * AccuracyTerm(m) + c.Mu2 * EnergyTerm(m);
        var r2 = IsOverConstraintBudget(m)
            ? -(OverBudgetPenalty + Miss(Budgets.LatencyMs, m.LatencyMs, atLeast: false) + Miss(Budgets.StorageMB, m.StorageMB, atLeast: false))
            : c.Mu3 * LatencyTerm(m) + c.Mu4 * StorageTerm(m);
        return new RewardValue(r1, r2);
    }

    /// <summary>How far <paramref name="value"/> is on the wrong side of <paramref name="budget"/>, relative to it (0 when met or unset), capped.</summary>
    public double Miss(double? budget, double value, bool atLeast)
    {
        if (budget is not { } b || b <= 0)
        {
            return 0;
        }

        var miss = atLeast ? (b - value) / b : (value - b) / b;
        return Math.Clamp(miss, 0, -NormalizedFloor);
    }

    private static double Positive(double v) => v > 0 && double.IsFinite(v) ? v : 1e-9;
}
