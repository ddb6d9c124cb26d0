using System.Diagnostics;
using System.Text;
using AdaDeep.TestUtilities;

namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>
/// Issue 25 item 6: `dotnet build` killed with SIGKILL while the real tool compresses. No code of the build runs after
/// SIGKILL, so the tool must notice by itself (its parent watchdog) and the next build must clear the work folder the
/// killed one left; `dotnet clean` clears such folders too.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public class KilledBuildEndToEndTests
{
    [Fact]
    public void Build_killed_mid_compress_leaves_no_tool_process_and_the_next_build_no_work_folder()
    {
        var tool = RealTool();
        using var harness = new BuildHarness();
        var output = new StringBuilder();
        // The real engine with a long search, so that the kill lands while it compresses.
        using var build = DotnetBuild.Start(harness.ProjectDirectory, "build", "App.csproj",
            new[] { $"-p:AdaDeepToolPath={tool}", "-p:TestLatency=7" }, output);
        var deviceFolder = Path.Combine(harness.AdaDeepOutputs, "sony-sw3");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !(ToolProcesses(harness.Root).Count > 0 && WorkFolders(deviceFolder).Length > 0))
        {
            Assert.False(build.HasExited, "the build ended before the tool was seen compressing:\n" + Text(output));
            Thread.Sleep(100);
        }

        var running = ToolProcesses(harness.Root);
        Assert.True(running.Count > 0, "the tool never started:\n" + Text(output));
        Assert.NotEmpty(WorkFolders(deviceFolder));

        build.Kill(); // SIGKILL, the build process alone: nothing of the build can react.
        build.WaitForExit();

        // The tool notices within its watchdog's interval (0.5 s) and exits; allow for a loaded machine.
        var gone = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < gone && ToolProcesses(harness.Root).Count > 0)
        {
            Thread.Sleep(100);
        }

        Assert.Empty(ToolProcesses(harness.Root));
        Assert.NotEmpty(WorkFolders(deviceFolder)); // what the killed build left behind

        // The next build (the fast fake tool) removes it and builds.
        var (exit, next) = harness.Build();
        Assert.True(exit == 0, next);
        Assert.Contains("removed 1 work folder(s) left by an interrupted build", next);
        Assert.Empty(WorkFolders(deviceFolder));
        Assert.Equal(1, harness.ToolRuns);
        Assert.Empty(ToolProcesses(harness.Root));
    }

    /// <summary>
    /// The watchdog alone: the tool's output goes to a file, so no broken pipe can end it (in a build, a dead parent
    /// also breaks the tool's stdout, which ends it at its next progress line; during a long silent stage only the
    /// watchdog does). Its parent, a shell, is killed with SIGKILL; the tool must follow within seconds.
    /// </summary>
    [Fact]
    public void Tool_exits_when_the_process_it_watches_is_killed_even_with_nowhere_broken_to_write()
    {
        var tool = RealTool();
        var folder = Directory.CreateTempSubdirectory("adadeep-watchdog-").FullName;
        try
        {
            // mnist-8 with every technique allowed searches for minutes (the tiny MLP would finish before the kill).
            var model = Path.Combine(folder, "mnist-8.onnx");
            File.Copy(RepoPaths.Model("mnist-8"), model);
            var log = Path.Combine(folder, "tool.log");
            var command = $"ADADEEP_PARENT_PID=$$ dotnet '{tool}' compress '{model}' --device sony-sw3 --no-cache --progress lines --allow-lossy --episodes 2000 --time-budget 300 "
                + $"--output '{Path.Combine(folder, "out.onnx")}' > '{log}' 2>&1 & wait";
            using var shell = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { "-c", command }, UseShellExecute = false })!;
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (DateTime.UtcNow < deadline && !(File.Exists(log) && File.ReadAllText(log).Contains("adadeep:progress")))
            {
                Assert.False(shell.HasExited, "the tool ended before it compressed: " + (File.Exists(log) ? File.ReadAllText(log) : ""));
                Thread.Sleep(100);
            }

            Assert.Single(ToolProcesses(folder));
            shell.Kill();
            shell.WaitForExit();
            var gone = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < gone && ToolProcesses(folder).Count > 0)
            {
                Thread.Sleep(100);
            }

            Assert.True(ToolProcesses(folder).Count == 0, "the tool outlived the process it watches:\n" + File.ReadAllText(log));
            Assert.DoesNotContain("done:", File.ReadAllText(log));
            Assert.False(File.Exists(Path.Combine(folder, "out.onnx")));
        }
        finally
        {
            foreach (var pid in ToolProcesses(folder))
            {
                using var orphan = Process.GetProcessById(pid);
                orphan.Kill();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Dotnet_clean_removes_work_folders_of_interrupted_builds()
    {
        using var harness = new BuildHarness();
        var (exit, output) = harness.Build();
        Assert.True(exit == 0, output);
        var deviceFolder = Path.Combine(harness.AdaDeepOutputs, "sony-sw3");
        var stale = Path.Combine(deviceFolder, ".work-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "model.onnx"), "half a model");

        var (cleanExit, cleaned) = DotnetBuild.Run(harness.ProjectDirectory, "clean", "App.csproj", Array.Empty<string>());

        Assert.True(cleanExit == 0, cleaned);
        Assert.False(Directory.Exists(stale), cleaned);
    }

    /// <summary>The built tool (src/AdaDeep.Cli/bin/&lt;configuration&gt;/net10.0/adadeep.dll); the solution build makes it.</summary>
    private static string RealTool()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name ?? "Release";
        var tool = new[] { configuration, "Release", "Debug" }.Distinct()
            .Select(c => RepoPaths.PathOf("src", "AdaDeep.Cli", "bin", c, "net10.0", "adadeep.dll"))
            .FirstOrDefault(File.Exists);
        return tool ?? throw new InvalidOperationException("build the solution first: src/AdaDeep.Cli/bin/*/net10.0/adadeep.dll is missing");
    }

    private static string[] WorkFolders(string folder) =>
        Directory.Exists(folder) ? Directory.GetDirectories(folder, ".work-*") : Array.Empty<string>();

    /// <summary>Live `adadeep compress` processes working for this harness (their command line names its folder).</summary>
    private static List<int> ToolProcesses(string root)
    {
        var found = new List<int>();
        foreach (var proc in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)))
        {
            try
            {
                var arguments = File.ReadAllText($"/proc/{proc}/cmdline").Split('\0');
                var commandLine = string.Join(' ', arguments);
                var state = File.ReadAllText($"/proc/{proc}/stat");
                // The tool itself (dotnet exec …/adadeep.dll compress …), not a shell whose command line mentions it.
                if (Path.GetFileName(arguments[0]) == "dotnet" && commandLine.Contains("adadeep.dll") && commandLine.Contains(" compress ") && commandLine.Contains(root)
                    && state[(state.LastIndexOf(')') + 2)] != 'Z')
                {
                    found.Add(int.Parse(proc!));
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
