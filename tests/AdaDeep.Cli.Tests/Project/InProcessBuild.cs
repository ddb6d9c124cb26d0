using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Framework;
using Microsoft.Build.Logging;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>
/// Builds targets of a project inside the test process with the SDK's MSBuild (registered by the CLI's
/// MSBuildRegistration first), so the real AdaDeep build task runs without the cost of a `dotnet build`. The
/// Microsoft.Build types stay in this never-inlined method, and no type here implements an MSBuild interface: the
/// test assembly must load without Microsoft.Build present.
/// </summary>
internal static class InProcessBuild
{
    public static (bool Succeeded, string Log) Run(string projectPath, IDictionary<string, string> globalProperties, params string[] targets)
    {
        AdaDeep.Cli.Project.MSBuildRegistration.EnsureRegistered(Path.GetDirectoryName(projectPath)!);
        return RunCore(projectPath, globalProperties, targets);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (bool, string) RunCore(string projectPath, IDictionary<string, string> globalProperties, string[] targets)
    {
        var log = new StringBuilder();
        using var collection = new ProjectCollection(globalProperties);
        var instance = collection.LoadProject(projectPath).CreateProjectInstance();
        var logger = new ConsoleLogger(LoggerVerbosity.Diagnostic, text => { lock (log) log.Append(text); }, _ => { }, () => { });
        var succeeded = instance.Build(targets, new ILogger[] { logger });
        return (succeeded, log.ToString());
    }
}
