using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AdaDeep.Search.Core;
using AdaDeep.Search.Environments;

namespace AdaDeep.Search.Reporting;

/// <summary>
/// The report of one search: what was searched (model, device, budgets, optimizer, seed), what it chose per layer, the
/// best configuration's figures against the original's (before any fine-tuning), every budget met or missed and by
/// how much, and the search itself (time, episodes, every candidate seen, reward per episode, Pareto front).
/// Written as JSON (<see cref="ToJson"/>), Markdown (<see cref="ToMarkdown"/>) and an SVG plot (<see cref="SearchPlot"/>).
/// </summary>
public sealed record SearchReport(
    string Model,
    string Device,
    string Optimizer,
    int Seed,
    double SearchSeconds,
    int Episodes,
    int CandidatesSeen,
    bool StoppedByTimeBudget,
    string AccuracyMetric,
    SearchBudgets Budgets,
    IReadOnlyList<LayerChoice> Layers,
    SearchCandidate Original,
    SearchCandidate Best,
    IReadOnlyList<MetricChange> Changes,
    IReadOnlyList<BudgetStatus> BudgetChecks,
    IReadOnlyList<SearchCandidate> ParetoFront,
    IReadOnlyList<SearchCandidate> Candidates,
    IReadOnlyList<double> EpisodeRewards,
    IReadOnlyList<RejectedRewrite> RejectedRewrites)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        NewLine = "\n",
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Whether the <see cref="BudgetVerdict.SearchEstimate"/> of the best configuration meets every budget.</summary>
    public bool BudgetsMet => BudgetChecks.All(b => b.Met);

    /// <summary>
    /// The same budgets checked on the model that ships (after fine-tuning and the gates; storage on the file), when a
    /// pipeline produced one; null for a search on its own. Reported beside the search estimate, each named.
    /// </summary>
    public IReadOnlyList<BudgetStatus>? ShippedBudgetChecks { get; init; }

    /// <summary>The run's verdict, worded as in every section: <see cref="BudgetVerdict.Headline"/>.</summary>
    public string Verdict(bool markdown = false) => BudgetVerdict.Headline(BudgetChecks, ShippedBudgetChecks, markdown);

    /// <summary>Where <paramref name="candidate"/> stands against the run's budgets, as the table and the plot say it.</summary>
    public CandidateStanding StandingOf(SearchCandidate candidate) =>
        BudgetVerdict.Standing(candidate.Metrics, Budgets, SearchAccuracyFloor);

    /// <summary>DQN: the episodes that measured a new candidate (what the progress and --episodes count); null for
    /// other strategies, whose every episode counts.</summary>
    public int? MeasuringEpisodes { get; init; }

    /// <summary>DQN: the greedy warm-start sweeps among <see cref="MeasuringEpisodes"/> (one per decision point swept),
    /// which are not agent episodes; null for other strategies.</summary>
    public int? WarmStartSweeps { get; init; }

    /// <summary>The accuracy floor the search ranked candidates against (the run's floor less the slack allowed
    /// before fine-tuning); null when it is the floor of <see cref="Budgets"/>.</summary>
    public double? SearchAccuracyFloor { get; init; }

    /// <summary>Builds the report of <paramref name="result"/>, found on <paramref name="env"/>.</summary>
    public static SearchReport Create(SearchResult result, ISearchEnvironment env, string model, string device)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(env);
        var budgets = env.Reward.Budgets;
        var layers = env.DecisionPoints
            .Select((p, i) => new LayerChoice(p.Name, p.Features.Kind.ToString(), i < result.Best.Actions.Count ? result.Best.Actions[i] : SearchActions.None))
            .ToArray();
        var compression = env as CompressionEnvironment;
        return new SearchReport(
            model,
            device,
            result.Strategy,
            result.Seed,
            result.Elapsed.TotalSeconds,
            result.EpisodeRewards.Count,
            result.Candidates.Count,
            result.StoppedByTimeBudget,
            compression?.AccuracyMetric ?? "accuracy",
            budgets,
            layers,
            result.Original,
            result.Best,
            MetricChange.Between(result.Original.Metrics, result.Best.Metrics),
            budgets.Check(result.Best.Metrics),
            Reporting.ParetoFront.AccuracyLatency(result.Candidates.Prepend(result.Original)),
            result.Candidates,
            result.EpisodeRewards,
            compression?.Rejections.ToArray() ?? Array.Empty<RejectedRewrite>());
    }

    /// <summary>
    /// "8 greedy warm-start sweeps, then 16 agent episodes (15 measuring a new candidate): 23 measured, what the progress
    /// and --episodes count": every figure a reader can add up, none contradicting the progress lines or ADA4301.
    /// </summary>
    private string EpisodeCounts(IFormatProvider inv)
    {
        if (MeasuringEpisodes is not { } measuring)
        {
            return string.Create(inv, $"{Episodes} episodes");
        }

        var sweeps = WarmStartSweeps ?? 0;
        var agentMeasuring = measuring - sweeps;
        var warm = sweeps > 0 ? string.Create(inv, $"{sweeps} greedy warm-start sweep{(sweeps == 1 ? "" : "s")}, then ") : "";
        return string.Create(inv, $"{warm}{Episodes} agent episode{(Episodes == 1 ? "" : "s")} ({agentMeasuring} measuring a new candidate): {measuring} measured, what the progress and --episodes count");
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# Search report: {Model} for `{Device}`");
        md.AppendLine();
        var episodes = EpisodeCounts(inv);
        md.AppendLine(inv, $"Optimizer `{Optimizer}` (seed {Seed}) · {SearchSeconds:0.0} s · {episodes} · {CandidatesSeen} candidates seen{(StoppedByTimeBudget ? " · stopped by the time budget" : "")}");
        md.AppendLine();
        md.AppendLine(inv, $"Budgets — {Verdict(markdown: true)}.");
        if (SearchAccuracyFloor is { } floor && Budgets.MinAccuracy is { } min)
        {
            md.AppendLine();
            md.AppendLine(inv, $"The accuracy floor is {min:0.####}; before fine-tuning, the search accepted candidates down to {floor:0.####}.");
        }
        md.AppendLine();
        md.AppendLine("## Per-layer choices");
        md.AppendLine();
        md.AppendLine("| # | layer | kind | technique |");
        md.AppendLine("|---:|---|---|---|");
        for (var i = 0; i < Layers.Count; i++)
        {
            md.AppendLine(inv, $"| {i + 1} | {Layers[i].Layer} | {Layers[i].Kind} | {Layers[i].Technique} |");
        }

        md.AppendLine();
        md.AppendLine("## Before and after (search estimates, before fine-tuning)");
        md.AppendLine();
        md.AppendLine("| metric | original | best | change |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var c in Changes)
        {
            md.AppendLine(inv, $"| {c.Metric} | {Format(c.Metric, c.Original)} | {Format(c.Metric, c.Best)} | {c.Describe()} |");
        }

        md.AppendLine(inv, $"| reward R1 + R2 | {Original.Reward:0.###} | {Best.Reward:0.###} | |");
        md.AppendLine();
        md.AppendLine(AccuracyMetric == "agreement"
            ? "Accuracy is top-1 agreement with the original model (the validation data has no labels)."
            : "Accuracy is top-1 accuracy on the labelled validation batch.");
        md.AppendLine();
        md.AppendLine(ShippedBudgetChecks is null ? $"## Budgets ({BudgetVerdict.SearchEstimate})" : $"## Budgets ({BudgetVerdict.SearchEstimate} and {BudgetVerdict.ShippedModel})");
        md.AppendLine();
        if (BudgetChecks.Count == 0)
        {
            md.AppendLine("No budget was set.");
        }
        else
        {
            // One row per budget: the search's estimate of its best configuration, and (when a model shipped) the
            // shipped model's figure, each with its own status, so the two can be told apart at a glance.
            var shipped = ShippedBudgetChecks?.ToDictionary(b => b.Name, StringComparer.Ordinal);
            md.AppendLine(shipped is null
                ? $"| budget | limit | {BudgetVerdict.SearchEstimate} | status |"
                : $"| budget | limit | {BudgetVerdict.SearchEstimate} | status | {BudgetVerdict.ShippedModel} | status |");
            md.AppendLine(shipped is null ? "|---|---:|---:|---|" : "|---|---:|---:|---|---:|---|");
            foreach (var b in BudgetChecks)
            {
                var limit = (b.IsUpperBound ? "≤ " : "≥ ") + Format(b.Name, b.Budget);
                var row = $"| {BudgetVerdict.BudgetName(b.Name)} | {limit} | {Format(b.Name, b.Value)} | {Status(b)} |";
                if (shipped is not null)
                {
                    row += shipped.TryGetValue(b.Name, out var s) ? $" {Format(s.Name, s.Value)} | {Status(s)} |" : " — | — |";
                }

                md.AppendLine(row);
            }
        }

        md.AppendLine();
        md.AppendLine("## Accuracy–latency Pareto front of the candidates seen");
        md.AppendLine();
        md.AppendLine(inv, $"Search estimates before fine-tuning, judged against the run's budgets as in the header; the best configuration (by reward) is marked{(ParetoFront.Any(IsBest) ? "" : ", and is not on the front")}.");
        md.AppendLine();
        md.AppendLine("| configuration | A | T (ms) | S_p (MB) | E (mJ) | reward | meets budgets (search estimate) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var c in ParetoFront)
        {
            var name = (IsBest(c) ? "**best** " : "") + string.Join(",", c.Actions);
            md.AppendLine(inv, $"| {name} | {c.Metrics.Accuracy:0.####} | {c.Metrics.LatencyMs:0.####} | {c.Metrics.StorageMB:0.####} | {c.Metrics.EnergyMJ:0.#####} | {c.Reward:0.###} | {BudgetVerdict.Describe(StandingOf(c), SearchAccuracyFloor)} |");
        }

        if (RejectedRewrites.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Rejected rewrites");
            md.AppendLine();
            foreach (var r in RejectedRewrites)
            {
                md.AppendLine(inv, $"- {r.Technique} on {r.Layer} ([{r.Configuration}]): {r.Reason.ReplaceLineEndings(" ")}");
            }
        }

        return md.ToString();
    }

    private bool IsBest(SearchCandidate c) => c.Actions.SequenceEqual(Best.Actions) && c.Metrics == Best.Metrics;

    private static string Status(BudgetStatus b) =>
        b.Met ? "met" : string.Format(CultureInfo.InvariantCulture, "missed by {0} ({1:0.#%})", Format(b.Name, b.Miss), b.MissFraction);

    private static string Format(string metric, double value) => metric switch
    {
        "accuracy" => value.ToString("0.####", CultureInfo.InvariantCulture),
        "macs" => value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.#####", CultureInfo.InvariantCulture),
    };
}

/// <summary>The technique chosen for one decision point.</summary>
public sealed record LayerChoice(string Layer, string Kind, string Technique);

/// <summary>One figure before (original) and after (best configuration). Ratio = original / best for costs.</summary>
public sealed record MetricChange(string Metric, double Original, double Best)
{
    public double Difference => Best - Original;

    /// <summary>original / best (how many times smaller the cost got); null when best is 0.</summary>
    public double? Reduction => Best == 0 ? null : Original / Best;

    public static IReadOnlyList<MetricChange> Between(ConfigurationMetrics original, ConfigurationMetrics best) => new[]
    {
        new MetricChange("accuracy", original.Accuracy, best.Accuracy),
        new MetricChange("storageMB", original.StorageMB, best.StorageMB),
        new MetricChange("macs", original.Macs, best.Macs),
        new MetricChange("latencyMs", original.LatencyMs, best.LatencyMs),
        new MetricChange("energyMJ", original.EnergyMJ, best.EnergyMJ),
    };

    public string Describe() => Metric == "accuracy"
        ? string.Format(CultureInfo.InvariantCulture, "{0:+0.00;-0.00;0.00} pt", Difference * 100)
        : Reduction switch
        {
            null => "—",
            1 => "unchanged",
            >= 1 and var r => string.Format(CultureInfo.InvariantCulture, "{0:0.##}× smaller", r),
            var r => string.Format(CultureInfo.InvariantCulture, "{0:0.##}× larger", 1 / r),
        };
}
