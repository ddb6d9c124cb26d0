using AdaDeep.Bench.Reporting;

namespace AdaDeep.Bench.Suites;

/// <summary>What every suite gets: the repository, quick or full mode, the output folder and the machine.</summary>
public sealed record BenchContext(RepoLayout Repo, bool Quick, string OutputDirectory, MachineInfo Machine)
{
    public SuiteReport NewReport(string suite) => new(suite, Quick, Machine);

    public static void Log(string message) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
