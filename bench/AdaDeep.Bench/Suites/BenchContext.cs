using AdaDeep.Bench.Reporting;

namespace AdaDeep.Bench.Suites;

/// <summary>What every suite gets: the repository, quick or full mode, the output folder, the machine and the commit.</summary>
public sealed record BenchContext(RepoLayout Repo, bool Quick, string OutputDirectory, MachineInfo Machine, string Commit)
{
    public SuiteReport NewReport(string suite) => new(suite, Quick, Machine, Commit);

    public static void Log(string message) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
