using System.Collections;
using AdaDeep.NativeFix;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.Compression.Tests.NativeFix;

public class MarkElfVersionNeedWeakTests
{
    [Fact]
    public void Execute_PatchesEachFileOnceAndReportsIt()
    {
        var dir = Directory.CreateTempSubdirectory("adadeep-elf-task-");
        try
        {
            var library = Path.Combine(dir.FullName, "libLibTorchSharp.so");
            File.WriteAllBytes(library, SyntheticElf.Build().Bytes);
            var engine = new RecordingBuildEngine();

            var first = new MarkElfVersionNeedWeak { BuildEngine = engine, Files = new ITaskItem[] { new TaskItem(library) } };
            Assert.True(first.Execute());
            Assert.Single(first.PatchedFiles);

            var second = new MarkElfVersionNeedWeak { BuildEngine = engine, Files = new ITaskItem[] { new TaskItem(library) } };
            Assert.True(second.Execute());
            Assert.Empty(second.PatchedFiles);
            Assert.Empty(engine.Errors);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Execute_WarnsAboutFilesThatAreNotElf64()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "plain text, not a shared library");
            var engine = new RecordingBuildEngine();
            var task = new MarkElfVersionNeedWeak { BuildEngine = engine, Files = new ITaskItem[] { new TaskItem(file) } };

            Assert.True(task.Execute());
            Assert.Contains(engine.Warnings, w => w.Code == "ADA5006");
            Assert.Equal("plain text, not a shared library", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class RecordingBuildEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = new();

        public List<BuildWarningEventArgs> Warnings { get; } = new();

        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => "test.proj";

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);

        public void LogMessageEvent(BuildMessageEventArgs e)
        {
        }

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
            throw new NotSupportedException();
    }
}
