using AdaDeep.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.Build.Tasks.Tests;

/// <summary>
/// A throw-away project folder for one task test: a real ONNX model (TinyModels.Mlp), a data set, a profile, an obj
/// folder, a private cache root and a fake tool that logs its runs.
/// </summary>
internal sealed class TaskScratch : IDisposable
{
    public TaskScratch(FakeTool.Mode mode = FakeTool.Mode.Succeed)
    {
        Root = Path.Combine(Path.GetTempPath(), "adadeep-task-tests", Guid.NewGuid().ToString("N"));
        Project = Path.Combine(Root, "project");
        Directory.CreateDirectory(Path.Combine(Project, "models"));
        TinyModels.Mlp().Save(Path.Combine(Project, "models", "mlp.onnx"));
        Directory.CreateDirectory(Path.Combine(Project, "data"));
        File.WriteAllBytes(Path.Combine(Project, "data", "val.bin"), new byte[] { 1, 2, 3 });
        File.WriteAllText(Path.Combine(Project, "watch.yaml"), "id: my-watch\nname: My watch\n");
        CacheRoot = Path.Combine(Root, "cache");
        ToolLog = Path.Combine(Root, "tool-runs.log");
        ToolPath = FakeTool.Write(Path.Combine(Root, "tool"), ToolLog, mode);
    }

    public string Root { get; }

    public string Project { get; }

    public string CacheRoot { get; }

    public string ToolLog { get; }

    public string ToolPath { get; }

    public string Intermediate => Path.Combine(Project, "obj", "Debug", "net10.0");

    public string AdaDeepOutputs => Path.Combine(Intermediate, "adadeep");

    public int ToolRuns => FakeTool.Runs(ToolLog).Length;

    public MockBuildEngine Engine { get; private set; } = new();

    public static TaskItem Model(string include = "models/mlp.onnx", params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(include);
        item.SetMetadata("Device", "sony-sw3");
        item.SetMetadata("Seed", "1");
        item.SetMetadata("Optimizer", "dqn");
        foreach (var (name, value) in metadata)
        {
            item.SetMetadata(name, value);
        }

        return item;
    }

    public AdaDeepCompress Compress(params ITaskItem[] models)
    {
        Engine = new MockBuildEngine();
        return new AdaDeepCompress
        {
            BuildEngine = Engine,
            Models = models,
            ProjectDirectory = Project,
            IntermediateDirectory = Path.Combine("obj", "Debug", "net10.0"),
            ToolPath = ToolPath,
            CacheDirectory = CacheRoot,
        };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
