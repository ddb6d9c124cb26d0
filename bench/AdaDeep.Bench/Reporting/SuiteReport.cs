using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AdaDeep.Bench.Reporting;

/// <summary>
/// What one suite measured: tables, notes that explain them, and a few headline lines for summary.md. Written as
/// <c>&lt;suite&gt;[-quick].md</c> and <c>.json</c> into the output folder.
/// </summary>
public sealed class SuiteReport(string suite, bool quick, MachineInfo machine, string commit)
{
    public string Suite { get; } = suite;

    public bool Quick { get; } = quick;

    public MachineInfo Machine { get; } = machine;

    /// <summary>The commit measured (SourceRevision), "+dirty" with uncommitted changes.</summary>
    public string Commit { get; } = commit;

    public List<BenchTable> Tables { get; } = new();

    public List<string> Notes { get; } = new();

    public List<string> Headlines { get; } = new();

    /// <summary>Lines written verbatim at the very end of the markdown (a suite's one-line verdict).</summary>
    public List<string> Footer { get; } = new();

    public string FileStem => Quick ? $"{Suite}-quick" : Suite;

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"## Suite `{Suite}`{(Quick ? " (--quick)" : "")}").AppendLine();
        md.AppendLine($"Machine: {Machine.Describe()}; load average at the end {MachineInfo.LoadAverage()}; commit {Commit}.").AppendLine();
        foreach (var table in Tables)
        {
            md.AppendLine(table.ToMarkdown());
        }

        if (Headlines.Count > 0)
        {
            md.AppendLine("Headlines:").AppendLine();
            Headlines.ForEach(h => md.AppendLine($"- {h}"));
            md.AppendLine();
        }

        if (Notes.Count > 0)
        {
            md.AppendLine("Notes:").AppendLine();
            Notes.ForEach(n => md.AppendLine($"- {n}"));
            md.AppendLine();
        }

        Footer.ForEach(line => md.AppendLine(line));
        return md.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        suite = Suite,
        quick = Quick,
        commit = Commit,
        machine = Machine,
        loadAverageAtEnd = MachineInfo.LoadAverage(),
        headlines = Headlines,
        footer = Footer,
        notes = Notes,
        tables = Tables.Select(t => new { title = t.Title, rows = t.Rows }),
    }, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileStem + ".md"), ToMarkdown());
        File.WriteAllText(Path.Combine(directory, FileStem + ".json"), ToJson());
        Console.WriteLine(ToMarkdown());
        Console.WriteLine($"wrote {Path.Combine(directory, FileStem)}.md and .json");
    }
}
