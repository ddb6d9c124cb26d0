using System.CommandLine;

namespace AdaDeep.Cli.Project;

/// <summary>
/// The options every project command shares (listing, warm, report): --project, --configuration, --device(s) and
/// -p:Name=Value, read into a <see cref="ProjectSelection"/>.
/// </summary>
public sealed class ProjectOptions
{
    public Option<string?> Project { get; } = new("--project")
    {
        Description = "The project file, or its folder (default: the one project file in the current folder).",
    };

    public Option<string?> Configuration { get; } = new("--configuration", "-c")
    {
        Description = "The build configuration to evaluate (Debug, Release, ...), as `dotnet build -c`.",
    };

    public Option<string[]> Devices { get; } = new("--devices", "--device", "-d")
    {
        Description = "Device variants, separated by ';' ',' or spaces, or repeated (each is evaluated with AdaDeepDevice set, "
            + "as `dotnet build -p:AdaDeepDevice=ID`). Default: the project's AdaDeepDevices, else each item's own device.",
        DefaultValueFactory = _ => Array.Empty<string>(),
    };

    public Option<string[]> Properties { get; } = new("--property", "-p")
    {
        Description = "A global property for the evaluation, -p:Name=Value (repeatable; as `dotnet build -p`).",
        DefaultValueFactory = _ => Array.Empty<string>(),
    };

    public ProjectOptions()
    {
        Properties.Validators.Add(result =>
        {
            foreach (var value in result.Tokens.Select(t => t.Value))
            {
                if (ParseProperties(value) is null)
                {
                    result.AddError($"'{value}' is not Name=Value (e.g. -p:AdaDeepCacheDir=/tmp/cache)");
                }
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Project);
        command.Options.Add(Configuration);
        command.Options.Add(Devices);
        command.Options.Add(Properties);
    }

    public ProjectSelection Read(ParseResult parse)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in parse.GetValue(Properties) ?? Array.Empty<string>())
        {
            foreach (var (name, v) in ParseProperties(value)!)
            {
                properties[name] = v;
            }
        }

        return new ProjectSelection(parse.GetValue(Project), parse.GetValue(Configuration),
            ProjectSelection.SplitDevices(parse.GetValue(Devices) ?? Array.Empty<string>()), properties);
    }

    /// <summary>"A=1" or, as MSBuild accepts, "A=1;B=2"; null when a part is not Name=Value.</summary>
    internal static List<(string Name, string Value)>? ParseProperties(string text)
    {
        var parts = text.Contains(';') && text.Split(';').All(p => p.Contains('=')) ? text.Split(';') : new[] { text };
        var pairs = new List<(string, string)>();
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=');
            if (equals <= 0 || part[..equals].Trim().Length == 0)
            {
                return null;
            }

            pairs.Add((part[..equals].Trim(), part[(equals + 1)..]));
        }

        return pairs;
    }
}
