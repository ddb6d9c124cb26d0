using System.Text;
using AdaDeep.Bench.Reporting;

namespace AdaDeep.Bench.Suites;

/// <summary>Runs every suite in turn (a failing suite is reported and the others still run) and writes summary.md with their headlines.</summary>
public sealed class AllSuite(IReadOnlyList<ISuite> suites)
{
    public const string Name = "all";

    public int Run(BenchContext context)
    {
        var summary = new StringBuilder();
        summary.AppendLine($"# Benchmark summary{(context.Quick ? " (--quick)" : "")}").AppendLine();
        summary.AppendLine($"Machine: {context.Machine.Describe()}; commit {context.Commit}.").AppendLine();
        var failures = 0;
        foreach (var suite in suites)
        {
            summary.AppendLine($"## {suite.Name}: {suite.Description}").AppendLine();
            try
            {
                var report = suite.Run(context);
                report.Write(context.OutputDirectory);
                summary.AppendLine($"Details: [{report.FileStem}.md]({report.FileStem}.md), [{report.FileStem}.json]({report.FileStem}.json).").AppendLine();
                report.Headlines.ForEach(h => summary.AppendLine($"- {h}"));
            }
            catch (Exception e)
            {
                failures++;
                Console.Error.WriteLine($"suite {suite.Name} failed: {e}");
                summary.AppendLine($"- FAILED: {e.GetType().Name}: {e.Message}");
            }

            summary.AppendLine();
        }

        summary.AppendLine($"Load average at the end: {MachineInfo.LoadAverage()}.");
        // One summary, of the last `all` run (its title says whether it was --quick); the suites' files keep both modes.
        var path = Path.Combine(context.OutputDirectory, "summary.md");
        File.WriteAllText(path, summary.ToString());
        Console.WriteLine(summary);
        Console.WriteLine($"wrote {path}");
        return failures == 0 ? 0 : 1;
    }
}
