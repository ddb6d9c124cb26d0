using System.Diagnostics;
using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>
/// The engine killed (SIGKILL, the whole process tree) in the middle of its search, as a cancelled or crashed build
/// does: the cache holds no entry and no lock that blocks, the output is untouched, and the next run succeeds.
/// </summary>
public class EngineKillTests : IClassFixture<PipelineFixture>
{
    // A hang guard only: on a loaded machine the full second run took over two minutes.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(6);
    private readonly PipelineFixture _fixture;

    public EngineKillTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [CliFact]
    public void EngineKilledDuringTheSearch_LeavesNoEntryNoBlockingLockAndTheOldOutput_AndTheNextRunSucceeds()
    {
        var folder = _fixture.NewFolder("kill");
        var cacheDir = Path.Combine(folder, "cache");
        var output = Path.Combine(folder, "out", "lenet.sony-sw3.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var previous = File.ReadAllBytes(_fixture.ModelPath);
        File.WriteAllBytes(output, previous);

        var killed = Cli.Start(Arguments(output, cacheDir));
        var killedAt = killed.WaitForLine(l => l.StartsWith("adadeep:progress ", StringComparison.Ordinal) && l.Contains(" search: episode", StringComparison.Ordinal), Guard);
        Assert.True(killedAt is not null, $"the engine printed no search progress before it ended:\n{killed.Transcript}");
        killed.Process.Kill(entireProcessTree: true);
        killed.Process.WaitForExit();
        Assert.NotEqual(0, killed.Process.ExitCode);

        var cache = CacheStore.Open(cacheDir);
        Assert.Empty(cache.List());
        Assert.Empty(Directory.GetDirectories(cache.VersionDirectory, ".tmp-*"));
        // The killed run held the key's lock (its file is left behind); the kernel released it with the process.
        var lockFile = Assert.Single(Directory.GetFiles(Path.Combine(cache.VersionDirectory, ".locks")));
        using (var free = CacheLock.TryAcquire(lockFile))
        {
            Assert.NotNull(free);
        }

        Assert.Equal(previous, File.ReadAllBytes(output));
        Assert.Equal(new[] { "lenet.sony-sw3.onnx" }, Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!).Select(Path.GetFileName));

        var again = Cli.Start(Arguments(output, cacheDir));
        again.Process.WaitForExit((int)Guard.TotalMilliseconds);
        Assert.True(again.Process.HasExited && again.Process.ExitCode == 0, $"the run after the kill failed:\n{again.Transcript}");
        var entry = Assert.Single(cache.List());
        Assert.NotNull(cache.TryGet(entry.Key));
        Assert.Equal(CompressPipeline.EngineLockPath(cache, entry.Key), lockFile);
        Assert.Equal(CacheKey.HashFile(output), CacheKey.HashFile(entry.ModelPath));
        Assert.NotEqual(previous, File.ReadAllBytes(output));
    }

    // The DQN's search runs for many episodes after its first progress line, so the kill lands inside the search even
    // when this process reads the line late (with greedy on this tiny model it once landed in the output stage).
    private string[] Arguments(string output, string cacheDir) => new[]
    {
        "compress", _fixture.ModelPath, "--device", "sony-sw3", "--dataset", _fixture.DatasetPath, "--optimizer", "dqn",
        "--seed", "3", "--episodes", "12", "--max-accuracy-drop", "0.5", "--fine-tune-epochs", "1", "--output", output, "--cache-dir", cacheDir,
        "--progress", "lines",
    };
}

/// <summary>The built command-line tool (src/AdaDeep.Cli/bin/&lt;Configuration&gt;/net10.0/adadeep.dll), run with dotnet.</summary>
internal sealed class Cli
{
    private readonly List<string> _lines = new();

    private Cli(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public string Transcript
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>The tool built in this test's configuration (else the other one), or null when it was not built.</summary>
    public static string? Path
    {
        get
        {
            string root;
            try
            {
                root = RepoPaths.Root;
            }
            catch (InvalidOperationException)
            {
                return null;
            }

            var testConfiguration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name ?? "Debug";
            return new[] { testConfiguration, "Debug", "Release" }.Distinct()
                .Select(c => System.IO.Path.Combine(root, "src", "AdaDeep.Cli", "bin", c, "net10.0", "adadeep.dll"))
                .FirstOrDefault(File.Exists);
        }
    }

    public static Cli Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path!);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var cli = new Cli(Process.Start(start)!);
        cli.Process.OutputDataReceived += (_, e) => cli.Add(e.Data);
        cli.Process.ErrorDataReceived += (_, e) => cli.Add(e.Data);
        cli.Process.BeginOutputReadLine();
        cli.Process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Waits for a line that matches; null when the process ended (or the guard passed) without one.</summary>
    public string? WaitForLine(Func<string, bool> match, TimeSpan guard)
    {
        var deadline = DateTime.UtcNow + guard;
        while (DateTime.UtcNow < deadline)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
            }

            if (Process.WaitForExit(50))
            {
                Process.WaitForExit();
                lock (_lines)
                {
                    return _lines.FirstOrDefault(match);
                }
            }
        }

        return null;
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}

/// <summary>A fact that runs the built tool; skipped, with the reason, when src/AdaDeep.Cli was not built.</summary>
internal sealed class CliFactAttribute : FactAttribute
{
    public CliFactAttribute()
    {
        if (Cli.Path is null)
        {
            Skip = "src/AdaDeep.Cli/bin/<Configuration>/net10.0/adadeep.dll is not built (dotnet build src/AdaDeep.Cli)";
        }
    }
}
