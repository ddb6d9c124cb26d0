using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaDeep.Bench.Building;

/// <summary>One line of MSBuild's performance summary: total milliseconds over all calls.</summary>
public sealed record PerformanceEntry(string Name, long Milliseconds, int Calls);

/// <summary>
/// The "Target Performance Summary" and "Task Performance Summary" that <c>-clp:PerformanceSummary</c> prints at the
/// end of a build (lines such as <c>    47452 ms  _AdaDeepCompress   1 calls</c>). Targets and tasks are kept apart:
/// the public target <c>AdaDeepCompress</c> and the task <c>AdaDeepCompress</c> share a name.
/// </summary>
public sealed class MsBuildPerformanceSummary
{
    private static readonly Regex Entry = new(@"^\s*(\d+) ms\s+(\S.*?)\s+(\d+) calls\s*$", RegexOptions.CultureInvariant);

    private MsBuildPerformanceSummary(IReadOnlyDictionary<string, PerformanceEntry> targets, IReadOnlyDictionary<string, PerformanceEntry> tasks)
    {
        Targets = targets;
        Tasks = tasks;
    }

    public IReadOnlyDictionary<string, PerformanceEntry> Targets { get; }

    public IReadOnlyDictionary<string, PerformanceEntry> Tasks { get; }

    /// <summary>True when the log held a target summary at all (a build without <c>-clp:PerformanceSummary</c> has none).</summary>
    public bool Found => Targets.Count > 0;

    public static MsBuildPerformanceSummary Parse(string log)
    {
        var targets = new Dictionary<string, PerformanceEntry>(StringComparer.Ordinal);
        var tasks = new Dictionary<string, PerformanceEntry>(StringComparer.Ordinal);
        Dictionary<string, PerformanceEntry>? section = null;
        foreach (var raw in log.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Contains("Target Performance Summary:", StringComparison.Ordinal))
            {
                section = targets;
                continue;
            }

            if (line.Contains("Task Performance Summary:", StringComparison.Ordinal))
            {
                section = tasks;
                continue;
            }

            if (section is null)
            {
                continue;
            }

            var match = Entry.Match(line);
            if (!match.Success)
            {
                // Blank lines sit inside a section; any other text (e.g. "Build succeeded.") ends it.
                if (line.Trim().Length > 0)
                {
                    section = null;
                }

                continue;
            }

            var name = match.Groups[2].Value;
            var entry = new PerformanceEntry(name,
                long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
            // A summary lists each name once; should one repeat (several summaries in one log), add them up.
            section[name] = section.TryGetValue(name, out var seen)
                ? seen with { Milliseconds = seen.Milliseconds + entry.Milliseconds, Calls = seen.Calls + entry.Calls }
                : entry;
        }

        return new MsBuildPerformanceSummary(targets, tasks);
    }

    /// <summary>A target's total milliseconds, or null when it is not in the summary (it did not run).</summary>
    public long? TargetMs(string name) => Targets.TryGetValue(name, out var e) ? e.Milliseconds : null;

    /// <summary>Summed milliseconds of every target whose name starts with one of the prefixes (e.g. AdaDeep's own).</summary>
    public long TargetsMs(params string[] prefixes) =>
        Targets.Values.Where(e => prefixes.Any(p => e.Name.StartsWith(p, StringComparison.Ordinal))).Sum(e => e.Milliseconds);
}
