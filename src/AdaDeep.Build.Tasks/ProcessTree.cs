using System.Diagnostics;
using System.Reflection;

namespace AdaDeep.Build.Tasks;

/// <summary>Kills a process with its children (the tool may start helpers). netstandard2.0 lacks Kill(bool), which
/// every .NET (Core) runtime that runs `dotnet build` has, so it is found by reflection; on .NET Framework MSBuild
/// (Visual Studio, Windows) taskkill /T does the same.</summary>
internal static class ProcessTree
{
    private static readonly MethodInfo? KillTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

    public static void Kill(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            if (KillTree is not null)
            {
                KillTree.Invoke(process, new object[] { true });
                return;
            }

            if (Path.DirectorySeparatorChar == '\\')
            {
                using var taskkill = Process.Start(new ProcessStartInfo("taskkill", $"/T /F /PID {process.Id}")
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,
                });
                taskkill?.WaitForExit(10_000);
                return;
            }

            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException)
        {
        }
    }
}
