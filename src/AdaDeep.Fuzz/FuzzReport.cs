using System.Globalization;
using System.Text;

namespace AdaDeep.Fuzz;

/// <summary>The counts of a fuzzing run: inputs tried, accepted, rejected by code, and failures grouped by cause.</summary>
public sealed class FuzzReport
{
    public FuzzReport(string target, int seed)
    {
        Target = target;
        Seed = seed;
    }

    public string Target { get; }

    public int Seed { get; }

    public int Inputs { get; private set; }

    public int Accepted { get; private set; }

    public SortedDictionary<string, int> RejectedByCode { get; } = new(StringComparer.Ordinal);

    public int Rejected => RejectedByCode.Values.Sum();

    /// <summary>Failures by signature, with the first input that showed each.</summary>
    public SortedDictionary<string, FuzzFailure> Failures { get; } = new(StringComparer.Ordinal);

    public int FailedInputs => Failures.Values.Sum(f => f.Count);

    public TimeSpan Elapsed { get; set; }

    public void Add(FuzzOutcome outcome, long iteration, string seedName, string mutations, string? savedTo)
    {
        Inputs++;
        switch (outcome.Kind)
        {
            case OutcomeKind.Accepted:
                Accepted++;
                break;
            case OutcomeKind.Rejected:
                RejectedByCode[outcome.Code!] = RejectedByCode.GetValueOrDefault(outcome.Code!) + 1;
                break;
            default:
                if (Failures.TryGetValue(outcome.Signature!, out var known))
                {
                    known.Count++;
                }
                else
                {
                    Failures[outcome.Signature!] = new FuzzFailure(outcome.Signature!, outcome.Detail ?? "", iteration, seedName, mutations, savedTo) { Count = 1 };
                }

                break;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        var rate = Elapsed.TotalSeconds > 0 ? Inputs / Elapsed.TotalSeconds : 0;
        text.AppendLine(CultureInfo.InvariantCulture, $"target {Target}, seed {Seed}: {Inputs} inputs in {Elapsed.TotalSeconds:F1} s ({rate:F0}/s)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  accepted  {Accepted}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  rejected  {Rejected}");
        foreach (var (code, count) in RejectedByCode)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {code}  {count}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  failures  {FailedInputs} ({Failures.Count} distinct)");
        foreach (var failure in Failures.Values)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {failure.Count}× {failure.Signature}");
            text.AppendLine(CultureInfo.InvariantCulture, $"       first: input {failure.Iteration} (seed file {failure.SeedName}, {failure.Mutations}){(failure.SavedTo is null ? "" : $", saved to {failure.SavedTo}")}");
            text.AppendLine("       " + failure.Detail.Split('\n')[0].Trim());
        }

        return text.ToString();
    }
}

public sealed record FuzzFailure(string Signature, string Detail, long Iteration, string SeedName, string Mutations, string? SavedTo)
{
    public int Count { get; set; }
}
