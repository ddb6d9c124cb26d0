using System.Globalization;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Reporting;

/// <summary>Where one candidate stands against the budgets, as every part of a report says it.</summary>
public enum CandidateStanding
{
    /// <summary>Meets every budget of the run, accuracy floor included.</summary>
    MeetsBudgets,

    /// <summary>Misses only the accuracy floor, and by no more than the slack the search allowed before fine-tuning.</summary>
    WithinSearchFloor,

    /// <summary>Misses a budget.</summary>
    MissesBudgets,
}

/// <summary>
/// One wording of "what met which budget" for the report's header, its search section, its budget table, its Pareto
/// table and its plot, so that they cannot disagree (issue 24: the header said "met" while the search section said
/// "not met"). Two figures exist and are always named: the <see cref="SearchEstimate"/> of the best configuration
/// (costs from the model, accuracy before fine-tuning) and the <see cref="ShippedModel"/>'s (after fine-tuning and
/// the gates, on the file that ships).
/// </summary>
public static class BudgetVerdict
{
    public const string SearchEstimate = "search estimate (before fine-tuning)";

    public const string ShippedModel = "shipped model";

    /// <summary>"all budgets met", "no budget set", or each miss: "accuracy floor missed by 0.047; latency budget missed by 0.12 ms (24 %)".</summary>
    public static string Describe(IReadOnlyList<BudgetStatus> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.Count == 0)
        {
            return "no budget set";
        }

        var missed = checks.Where(c => !c.Met).ToList();
        return missed.Count == 0 ? "all budgets met" : string.Join("; ", missed.Select(DescribeMiss));
    }

    /// <summary>
    /// The run's verdict in one line: "search estimate (before fine-tuning): accuracy floor missed by 0.047; shipped
    /// model: all budgets met". Without <paramref name="shipped"/> (a search run on its own) only the estimate.
    /// </summary>
    public static string Headline(IReadOnlyList<BudgetStatus> searchEstimate, IReadOnlyList<BudgetStatus>? shipped, bool markdown = false)
    {
        string Bold(string text) => markdown ? $"**{text}**" : text;
        var estimate = $"{SearchEstimate}: {Bold(Describe(searchEstimate))}";
        return shipped is null ? estimate : $"{estimate}; {ShippedModel}: {Bold(Describe(shipped))}";
    }

    /// <summary>
    /// A candidate's standing against <paramref name="budgets"/> (the run's own, floor included). A candidate that misses
    /// only the floor but reaches <paramref name="searchFloor"/> (the floor less the slack the search allowed before
    /// fine-tuning) is <see cref="CandidateStanding.WithinSearchFloor"/>: the search accepted it, the floor is not met.
    /// </summary>
    public static CandidateStanding Standing(ConfigurationMetrics metrics, SearchBudgets budgets, double? searchFloor)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(budgets);
        var missed = budgets.Check(metrics).Where(c => !c.Met).ToList();
        if (missed.Count == 0)
        {
            return CandidateStanding.MeetsBudgets;
        }

        return missed is [{ Name: "accuracy" }] && searchFloor is { } floor && metrics.Accuracy >= floor
            ? CandidateStanding.WithinSearchFloor
            : CandidateStanding.MissesBudgets;
    }

    /// <summary>The Pareto table's wording of a <see cref="CandidateStanding"/>.</summary>
    public static string Describe(CandidateStanding standing, double? searchFloor) => standing switch
    {
        CandidateStanding.MeetsBudgets => "yes",
        CandidateStanding.WithinSearchFloor => string.Format(CultureInfo.InvariantCulture, "no: accuracy only above the search's floor {0:0.####}", searchFloor),
        _ => "no",
    };

    /// <summary>"latency budget", "storage budget", "energy budget", "accuracy floor".</summary>
    public static string BudgetName(string metric) => metric switch
    {
        "latencyMs" => "latency budget",
        "storageMB" => "storage budget",
        "energyMJ" => "energy budget",
        "accuracy" => "accuracy floor",
        _ => metric + " budget",
    };

    /// <summary>A figure in its unit: "0.5 ms", "0.0229 MB", "0.031 mJ", "0.98".</summary>
    public static string WithUnit(string metric, double value)
    {
        var number = value.ToString(Math.Abs(value) >= 0.01 || value == 0 ? "0.####" : "0.######", CultureInfo.InvariantCulture);
        return metric switch
        {
            "latencyMs" => number + " ms",
            "storageMB" => number + " MB",
            "energyMJ" => number + " mJ",
            _ => number,
        };
    }

    private static string DescribeMiss(BudgetStatus b) => b.Name == "accuracy"
        ? $"{BudgetName(b.Name)} missed by {WithUnit(b.Name, b.Miss)}"
        : string.Format(CultureInfo.InvariantCulture, "{0} missed by {1} ({2:0.#} %)", BudgetName(b.Name), WithUnit(b.Name, b.Miss), b.MissFraction * 100);
}
