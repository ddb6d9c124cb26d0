using System.Globalization;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// One line the tool printed, classified: a progress event (<c>adadeep:progress &lt;percent&gt; &lt;message&gt;</c>), a
/// diagnostic in the MSBuild canonical form (<c>file(line,col): error|warning CODE: message</c>, parsed by the
/// contract's <see cref="ToolDiagnostic"/>) or plain text.
/// </summary>
internal sealed record ToolOutputLine(ToolOutputKind Kind, string Text, double Percent = 0, string? File = null,
    int Line = 0, int Column = 0, string? Code = null, string? Stage = null)
{
    public const string ProgressPrefix = "adadeep:progress ";

    public static ToolOutputLine Parse(string line)
    {
        if (line.StartsWith(ProgressPrefix, StringComparison.Ordinal))
        {
            var rest = line.Substring(ProgressPrefix.Length).Trim();
            var space = rest.IndexOf(' ');
            var number = space < 0 ? rest : rest.Substring(0, space);
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            {
                var text = space < 0 ? "" : rest.Substring(space + 1).Trim();
                return new ToolOutputLine(ToolOutputKind.Progress, text, percent, Stage: StageOf(text));
            }
        }

        if (ToolDiagnostic.ParseCanonical(line) is { } diagnostic)
        {
            return new ToolOutputLine(diagnostic.IsError ? ToolOutputKind.Error : ToolOutputKind.Warning, diagnostic.Message,
                File: diagnostic.File, Line: diagnostic.Line, Column: diagnostic.Column, Code: diagnostic.Code);
        }

        return new ToolOutputLine(ToolOutputKind.Text, line);
    }

    /// <summary>The stage of a progress message the tool writes as <c>stage: message</c> (load, search, fine-tune, ...;
    /// ProgressDisplay in the CLI), or null.</summary>
    private static string? StageOf(string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var stage = text.Substring(0, colon);
        return stage.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_') ? stage : null;
    }
}

internal enum ToolOutputKind
{
    Text,
    Progress,
    Warning,
    Error,
}
