namespace AdaDeep.Bench.Reporting;

/// <summary>Where and when figures were measured: they mean little without the machine and its load.</summary>
public sealed record MachineInfo(string DateUtc, int LogicalCpus, string CpuModel, string LoadAverageAtStart, string Os)
{
    public static MachineInfo Capture() => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"),
        Environment.ProcessorCount,
        ReadCpuModel(),
        LoadAverage(),
        System.Runtime.InteropServices.RuntimeInformation.OSDescription);

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public string Describe() => $"{DateUtc} · {LogicalCpus} logical CPUs (nproc) · {CpuModel} · {Os} · load average at start {LoadAverageAtStart}";

    private static string ReadCpuModel()
    {
        if (!File.Exists("/proc/cpuinfo"))
        {
            return "unknown CPU";
        }

        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
