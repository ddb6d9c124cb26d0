using System.Xml;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Where an AdaDeepModel item is written: the project file and the line of its element, so that diagnostics about the
/// item open the csproj at the item in an IDE (not the binary .onnx). MSBuild gives a task its items without their
/// location, so the project file is read for an <c>&lt;AdaDeepModel Include="…"&gt;</c> whose Include is the item's;
/// an item from an import, a glob or a property keeps the project file with no line.
/// </summary>
internal sealed record ItemLocation(string File, int Line, int Column, bool IsProjectFile)
{
    /// <summary>The item in <paramref name="projectFile"/>; the model file itself when no project file is known (unit tests, old callers).</summary>
    public static ItemLocation Find(string? projectFile, string itemSpec, string modelPath)
    {
        if (string.IsNullOrWhiteSpace(projectFile) || !System.IO.File.Exists(projectFile))
        {
            return new ItemLocation(modelPath, 0, 0, IsProjectFile: false);
        }

        try
        {
            using var reader = XmlReader.Create(projectFile!, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var info = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "AdaDeepModel"
                    && SameSpec(reader.GetAttribute("Include"), itemSpec))
                {
                    return new ItemLocation(projectFile!, info.LineNumber, info.LinePosition, IsProjectFile: true);
                }
            }
        }
        catch (XmlException)
        {
            // An unreadable project would not have built this far; the file alone still points the user at it.
        }

        return new ItemLocation(projectFile!, 0, 0, IsProjectFile: true);
    }

    /// <summary>Prefixes a message about the item with its Include when the location is the project, not the model.</summary>
    public string About(string itemSpec, string message) => IsProjectFile ? $"{itemSpec}: {message}" : message;

    private static bool SameSpec(string? include, string itemSpec) =>
        include is not null && string.Equals(Normalize(include), Normalize(itemSpec), StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string path) => path.Trim().Replace('\\', '/');
}
