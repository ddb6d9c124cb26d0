namespace AdaDeep.Bench.Building;

/// <summary>One `dotnet build` as the benchmark saw it: exit code, wall time, console output and its performance summary.</summary>
public sealed record BuildRun(int ExitCode, double WallSeconds, string Output)
{
    public MsBuildPerformanceSummary Summary { get; } = MsBuildPerformanceSummary.Parse(Output);

    public (int Hits, int Misses) Cache => BuildLogReader.CacheOutcomes(Output);

    /// <summary>Throws with the end of the log when the build failed: a failed build's time means nothing.</summary>
    public BuildRun EnsureSucceeded(string what)
    {
        if (ExitCode != 0)
        {
            var tail = string.Join("\n", Output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(10));
            throw new InvalidOperationException($"{what} failed (exit {ExitCode}): {(tail.Length > 0 ? tail : Output[^Math.Min(Output.Length, 2000)..])}");
        }

        return this;
    }
}
