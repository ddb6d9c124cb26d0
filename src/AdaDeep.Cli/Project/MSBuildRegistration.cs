using AdaDeep.Onnx.Diagnostics;
using Microsoft.Build.Locator;

namespace AdaDeep.Cli.Project;

/// <summary>
/// Points this process at the .NET SDK's own MSBuild (Microsoft.Build.Locator), once, before any Microsoft.Build type
/// is loaded. The tool compiles against Microsoft.Build but ships none of its assemblies: evaluating with the SDK's
/// MSBuild is what makes the tool see the items and properties a `dotnet build` of the same project would.
/// </summary>
internal static class MSBuildRegistration
{
    private static readonly object Gate = new();

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (MSBuildLocator.IsRegistered)
            {
                return;
            }

            try
            {
                // The SDK that global.json (or the newest installed) selects, as `dotnet build` in this folder would.
                MSBuildLocator.RegisterDefaults();
            }
            catch (InvalidOperationException e)
            {
                throw new AdaDeepException(ErrorCodes.ProjectSdkNotFound,
                    $"no .NET SDK with MSBuild was found to evaluate the project ({e.Message}); install the .NET SDK or set DOTNET_ROOT");
            }
        }
    }
}
