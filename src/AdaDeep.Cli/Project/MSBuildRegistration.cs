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

    /// <param name="workingDirectory">Where to resolve the SDK from (its global.json applies), as `dotnet build` there would.</param>
    public static void EnsureRegistered(string workingDirectory)
    {
        lock (Gate)
        {
            if (MSBuildLocator.IsRegistered)
            {
                return;
            }

            VisualStudioInstance? instance;
            try
            {
                // The SDK that global.json (or else the newest installed SDK this runtime can load) selects.
                instance = MSBuildLocator.QueryVisualStudioInstances(new VisualStudioInstanceQueryOptions
                {
                    DiscoveryTypes = DiscoveryType.DotNetSdk,
                    WorkingDirectory = workingDirectory,
                }).FirstOrDefault();
            }
            catch (InvalidOperationException e)
            {
                throw new AdaDeepException(ErrorCodes.ProjectSdkNotFound,
                    $"no .NET SDK with MSBuild was found to evaluate the project ({e.Message}); install the .NET SDK or set DOTNET_ROOT");
            }

            if (instance is null)
            {
                throw new AdaDeepException(ErrorCodes.ProjectSdkNotFound,
                    "no .NET SDK with MSBuild that this runtime can load was found to evaluate the project; install the .NET SDK or set DOTNET_ROOT");
            }

            MSBuildLocator.RegisterInstance(instance);
        }
    }
}
