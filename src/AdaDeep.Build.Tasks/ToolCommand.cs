namespace AdaDeep.Build.Tasks;

/// <summary>How to start the tool: an executable (apphost, script) directly, or a framework-dependent .dll through
/// the dotnet host that runs the build (DOTNET_HOST_PATH), so the tool runs on the same .NET install.</summary>
internal sealed record ToolCommand(string FileName, IReadOnlyList<string> LeadingArguments, string EntryPath)
{
    /// <summary>The folder of the tool's own files: what its engine identity is computed from.</summary>
    public string ToolDirectory => Path.GetDirectoryName(EntryPath)!;

    public static ToolCommand For(string entryPath, string? dotnetHostPath = null)
    {
        var full = Path.GetFullPath(entryPath);
        if (full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            var host = string.IsNullOrWhiteSpace(dotnetHostPath) ? DotnetHost() : dotnetHostPath!;
            return new ToolCommand(host, new[] { "exec", full }, full);
        }

        return new ToolCommand(full, new string[0], full);
    }

    /// <summary>DOTNET_HOST_PATH (set by the .NET SDK for MSBuild and its tasks), else `dotnet` from PATH.</summary>
    public static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrWhiteSpace(host) && File.Exists(host) ? host! : "dotnet";
    }
}
