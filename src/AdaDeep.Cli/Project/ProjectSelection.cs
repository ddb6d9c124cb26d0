namespace AdaDeep.Cli.Project;

/// <summary>
/// What the user asked to evaluate: the project (file, folder or null for the current folder), the configuration,
/// the devices (each one a variant evaluated with AdaDeepDevice set, as `dotnet build -p:AdaDeepDevice=…` does) and
/// extra global properties (-p:Name=Value).
/// </summary>
public sealed record ProjectSelection(
    string? Project,
    string? Configuration,
    IReadOnlyList<string> Devices,
    IReadOnlyDictionary<string, string> Properties)
{
    public static ProjectSelection ForFolder(string? project = null) =>
        new(project, null, Array.Empty<string>(), new Dictionary<string, string>());

    /// <summary>Splits device lists the way the AdaDeepDevices property is split: at ';', ',' and white space.</summary>
    public static IReadOnlyList<string> SplitDevices(IEnumerable<string?> values) =>
        values.Where(v => v is not null)
            .SelectMany(v => v!.Split(new[] { ';', ',', ' ', '\t', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>The global properties of the base evaluation: -p values, then Configuration.</summary>
    public Dictionary<string, string> BaseGlobalProperties()
    {
        var globals = new Dictionary<string, string>(Properties, StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(Configuration))
        {
            globals["Configuration"] = Configuration.Trim();
        }

        return globals;
    }

    /// <summary>The global properties of one device variant, as the AdaDeepBuildVariants target passes them.</summary>
    public static Dictionary<string, string> VariantGlobalProperties(IReadOnlyDictionary<string, string> baseGlobals, string device)
    {
        var globals = new Dictionary<string, string>(baseGlobals, StringComparer.OrdinalIgnoreCase)
        {
            ["AdaDeepDevice"] = device,
            ["AdaDeepDevices"] = "",
        };
        return globals;
    }
}
