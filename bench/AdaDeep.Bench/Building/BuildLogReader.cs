using System.Text.RegularExpressions;

namespace AdaDeep.Bench.Building;

/// <summary>
/// Reads a build's log: what happened to a target (needs <c>-v:detailed</c> or a detailed file logger, where MSBuild
/// says why it skipped a target) and the AdaDeep task's one line per model, "… [cache hit, 0.2 s]".
/// </summary>
public static class BuildLogReader
{
    private static readonly Regex CacheOutcome = new(@"^\s*(?:\d+>)?\s*AdaDeep: .*\[cache (hit|miss)\b", RegexOptions.CultureInvariant | RegexOptions.Multiline);

    public static TargetOutcome Outcome(string detailedLog, string target)
    {
        var quoted = $"\"{target}\"";
        if (detailedLog.Contains($"Skipping target {quoted} because all output files are up-to-date", StringComparison.Ordinal))
        {
            return TargetOutcome.SkippedUpToDate;
        }

        if (detailedLog.Contains($"Building target {quoted} completely", StringComparison.Ordinal)
            || detailedLog.Contains($"Building target {quoted} partially", StringComparison.Ordinal)
            || detailedLog.Contains($"Done building target {quoted}", StringComparison.Ordinal))
        {
            return TargetOutcome.Ran;
        }

        if (detailedLog.Contains($"Target {quoted} skipped, due to false condition", StringComparison.Ordinal))
        {
            return TargetOutcome.SkippedFalseCondition;
        }

        return TargetOutcome.NotRun;
    }

    /// <summary>How many models the AdaDeep task reported as cache hits and as misses (compressed by the tool).</summary>
    public static (int Hits, int Misses) CacheOutcomes(string log)
    {
        int hits = 0, misses = 0;
        foreach (Match match in CacheOutcome.Matches(log))
        {
            if (match.Groups[1].Value == "hit")
            {
                hits++;
            }
            else
            {
                misses++;
            }
        }

        return (hits, misses);
    }
}
