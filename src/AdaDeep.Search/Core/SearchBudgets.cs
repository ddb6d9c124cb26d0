using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Search.Core;

/// <summary>
/// What the user asks of the compressed model. A null budget is not a constraint: the reward then measures that
/// figure against the original model instead (see <see cref="RewardFunction"/>).
/// </summary>
public sealed record SearchBudgets
{
    public static SearchBudgets None { get; } = new();

    /// <summary>Latency budget T_bgt in milliseconds (paper Eq. 8).</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Storage budget S_bgt in MiB of weights that ship (paper: S_Cache against S_p).</summary>
    public double? StorageMB { get; init; }

    /// <summary>Energy budget in millijoules per inference (paper: E_max).</summary>
    public double? EnergyMJ { get; init; }

    /// <summary>Minimum accuracy A_min in [0, 1] (paper Eq. 8).</summary>
    public double? MinAccuracy { get; init; }

    /// <summary>Throws AdaDeepException(BudgetInvalid) for budgets that cannot be met by any model.</summary>
    public SearchBudgets Validate()
    {
        Positive(LatencyMs, "latency budget (ms)");
        Positive(StorageMB, "storage budget (MB)");
        Positive(EnergyMJ, "energy budget (mJ)");
        if (MinAccuracy is { } a && (double.IsNaN(a) || a < 0 || a > 1))
        {
            throw new AdaDeepException(ErrorCodes.BudgetInvalid, $"Minimum accuracy must lie in [0, 1]; got {a}.");
        }

        return this;
    }

    /// <summary>Each budget that is set, checked against <paramref name="metrics"/>, in a fixed order (T, S, E, A).</summary>
    public IReadOnlyList<BudgetStatus> Check(ConfigurationMetrics metrics)
    {
        var list = new List<BudgetStatus>(4);
        if (LatencyMs is { } t)
        {
            list.Add(BudgetStatus.AtMost("latencyMs", metrics.LatencyMs, t));
        }

        if (StorageMB is { } s)
        {
            list.Add(BudgetStatus.AtMost("storageMB", metrics.StorageMB, s));
        }

        if (EnergyMJ is { } e)
        {
            list.Add(BudgetStatus.AtMost("energyMJ", metrics.EnergyMJ, e));
        }

        if (MinAccuracy is { } a)
        {
            list.Add(BudgetStatus.AtLeast("accuracy", metrics.Accuracy, a));
        }

        return list;
    }

    /// <summary>True when every budget that is set is met.</summary>
    public bool AreMet(ConfigurationMetrics metrics) => Check(metrics).All(b => b.Met);

    private static void Positive(double? value, string what)
    {
        if (value is { } v && (double.IsNaN(v) || v <= 0))
        {
            throw new AdaDeepException(ErrorCodes.BudgetInvalid, $"The {what} must be a positive number; got {v}.");
        }
    }
}
