using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// One line the tool printed, classified: a progress event (<c>adadeep:progress &lt;percent&gt; &lt;message&gt;</c>), a
/// diagnostic in the MSBuild canonical form (<c>file(line,col): error|warning CODE: message</c>) or plain text.
/// </summary>
internal sealed record ToolOutputLine(ToolOutputKind Kind, string Text, double Percent = 0, string? File = null,
    int Line = 0, int Column = 0, string? Code = null)
{
    public const string ProgressPrefix = "adadeep:progress ";

    private static readonly Regex Diagnostic = new(
        @"^(?<file>.*?)(\((?<line>\d+)(,(?<col>\d+))?\))?\s*:\s*(?<kind>error|warning)\s+(?<code>[A-Za-z]+\d+)\s*:\s*(?<message>.*)$",
        RegexOptions.CultureInvariant);

    public static ToolOutputLine Parse(string line)
    {
        if (line.StartsWith(ProgressPrefix, StringComparison.Ordinal))
        {
            var rest = line.Substring(ProgressPrefix.Length).Trim();
            var space = rest.IndexOf(' ');
            var number = space < 0 ? rest : rest.Substring(0, space);
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            {
                return new ToolOutputLine(ToolOutputKind.Progress, space < 0 ? "" : rest.Substring(space + 1).Trim(), percent);
            }
        }

        var match = Diagnostic.Match(line);
        if (match.Success)
        {
            var file = match.Groups["file"].Value.Trim();
            return new ToolOutputLine(
                match.Groups["kind"].Value == "error" ? ToolOutputKind.Error : ToolOutputKind.Warning,
                match.Groups["message"].Value.Trim(),
                File: file.Length == 0 || file == "adadeep" ? null : file,
                Line: match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture) : 0,
                Column: match.Groups["col"].Success ? int.Parse(match.Groups["col"].Value, CultureInfo.InvariantCulture) : 0,
                Code: match.Groups["code"].Value);
        }

        return new ToolOutputLine(ToolOutputKind.Text, line);
    }
}

internal enum ToolOutputKind
{
    Text,
    Progress,
    Warning,
    Error,
}
