using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaDeep.Onnx.Diagnostics;

/// <summary>
/// A diagnostic as the tool prints it and stores it in a result's warnings: the MSBuild canonical form
/// <c>file(line,col): error|warning CODE: message</c> (<c>adadeep</c> as the file means none), or the short
/// <c>CODE: message</c>. One parser for the task's live relay and for the warnings of a cached result, so a code
/// survives both ways and WarningsAsErrors/NoWarn see the same code on a miss, a hit and an up-to-date build.
/// </summary>
public sealed class ToolDiagnostic
{
    private static readonly Regex Canonical = new(
        @"^(?<file>.*?)(\((?<line>\d+)(,(?<col>\d+))?\))?\s*:\s*(?<kind>error|warning)\s+(?<code>[A-Za-z]+\d+)\s*:\s*(?<message>.*)$",
        RegexOptions.CultureInvariant);

    private static readonly Regex Short = new(@"^(?<code>[A-Z]{2,5}\d{3,5})\s*:\s*(?<message>.*)$", RegexOptions.CultureInvariant);

    private ToolDiagnostic(bool isError, string? code, string message, string? file, int line, int column)
    {
        IsError = isError;
        Code = code;
        Message = message;
        File = file;
        Line = line;
        Column = column;
    }

    public bool IsError { get; }

    /// <summary>ADAnnnn (or another code); null when the text carried none.</summary>
    public string? Code { get; }

    public string Message { get; }

    /// <summary>The file the tool named; null for none (or "adadeep").</summary>
    public string? File { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>A line in the canonical form; null when <paramref name="text"/> is not one.</summary>
    public static ToolDiagnostic? ParseCanonical(string text)
    {
        var match = Canonical.Match(text ?? "");
        if (!match.Success)
        {
            return null;
        }

        var file = match.Groups["file"].Value.Trim();
        return new ToolDiagnostic(
            match.Groups["kind"].Value == "error",
            match.Groups["code"].Value,
            match.Groups["message"].Value.Trim(),
            file.Length == 0 || file == "adadeep" ? null : file,
            match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture) : 0,
            match.Groups["col"].Success ? int.Parse(match.Groups["col"].Value, CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>A stored warning: canonical, short (<c>ADA4002: text</c>), or plain text (no code).</summary>
    public static ToolDiagnostic ParseWarning(string text)
    {
        if (ParseCanonical(text) is { } canonical)
        {
            return canonical;
        }

        var match = Short.Match(text ?? "");
        return match.Success
            ? new ToolDiagnostic(false, match.Groups["code"].Value, match.Groups["message"].Value.Trim(), null, 0, 0)
            : new ToolDiagnostic(false, null, text ?? "", null, 0, 0);
    }

    public override string ToString() =>
        $"{File ?? "adadeep"}{(Line > 0 ? $"({Line}{(Column > 0 ? "," + Column : "")})" : "")}: {(IsError ? "error" : "warning")} {Code}: {Message}";
}
