using System.Text;
using System.Text.RegularExpressions;

namespace AdaDeep.Fuzz;

/// <summary>The YAML-aware mutations (see <see cref="YamlTokenMutator"/>).</summary>
public enum YamlMutation
{
    DeleteToken,
    DuplicateToken,
    SwapTokens,

    /// <summary>A token replaced with another token of the same file (a key becomes a value, a number a key…).</summary>
    ReplaceWithFileToken,

    /// <summary>A hostile or edge token inserted: tags, anchors and aliases, directives, NaN, huge numbers, control characters.</summary>
    InsertHostileToken,

    /// <summary>A scalar value replaced by an edge value (negative, NaN, infinity, 1e309, empty, null, quoted).</summary>
    ReplaceValue,

    /// <summary>The indentation of a line changed (a field moves to another mapping, or out of any).</summary>
    ChangeIndent,

    DeleteLine,
    DuplicateLine,

    /// <summary>A structure an attacker would write: billion laughs, deep nesting, a huge scalar, a second document.</summary>
    InjectStructure,
}

/// <summary>
/// Token-level mutations of YAML text: the mutants stay close enough to YAML that they reach the mapper and the
/// profile validation, not only the scanner.
/// </summary>
public sealed partial class YamlTokenMutator : IMutator
{
    private static readonly string[] HostileTokens =
    {
        "!!python/object/apply:os.system ['id'] ", "!<tag:yaml.org,2002:str> ", "!!binary ", "!!float ", "!!int ", "!custom ",
        "&a ", "*a", "<<: *a", "? ", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:example.com,2000:\n", "| ", "> ",
        "[", "]", "{", "}", ",", ": ", "- ", "#", "'", "\"", "\t", "\0", "\uFEFF", "\r", "\u2028", "\uD800", "\\", "@", "`",
        "NaN", ".nan", ".NaN", ".inf", "-.inf", "+.inf", "1e309", "-1e309", "-0", "0x7f", "0o17", "1_000", "4.9e-324",
        "null", "~", "true", "yes", "on", "''", "\"\\u0000\"", "\"\\x41\"",
    };

    private static readonly string[] EdgeValues =
    {
        "-1", "0", "-0", "NaN", ".nan", ".inf", "-.inf", "1e309", "1e308", "-1e308", "1e-320", "4.9e-324", "99999999999999999999",
        "1.7976931348623157e308", "''", "\"\"", "null", "~", "", "\"40.0\"", "[1, 2]", "{a: 1}", "true", "0.5", "2", "1e15", "1e-15",
    };

    public YamlTokenMutator(YamlMutation kind) => Kind = kind;

    public static IReadOnlyList<IMutator> All { get; } = Enum.GetValues<YamlMutation>().Select(k => (IMutator)new YamlTokenMutator(k)).ToArray();

    public YamlMutation Kind { get; }

    public string Name => "yaml." + Kind;

    public byte[] Mutate(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = Kind switch
        {
            YamlMutation.ChangeIndent or YamlMutation.DeleteLine or YamlMutation.DuplicateLine => MutateLines(text, random),
            YamlMutation.InjectStructure => InjectStructure(text, random),
            _ => MutateTokens(text, random),
        };
        return Encoding.UTF8.GetBytes(result);
    }

    private string MutateTokens(string text, Random random)
    {
        var tokens = Token().Matches(text).Select(m => m.Value).ToList();
        if (tokens.Count == 0)
        {
            return HostileTokens[random.Next(HostileTokens.Length)];
        }

        var at = random.Next(tokens.Count);
        switch (Kind)
        {
            case YamlMutation.DeleteToken:
                tokens.RemoveAt(at);
                break;
            case YamlMutation.DuplicateToken:
                tokens.Insert(at, tokens[at]);
                break;
            case YamlMutation.SwapTokens:
                var other = random.Next(tokens.Count);
                (tokens[at], tokens[other]) = (tokens[other], tokens[at]);
                break;
            case YamlMutation.ReplaceWithFileToken:
                tokens[at] = tokens[random.Next(tokens.Count)];
                break;
            case YamlMutation.InsertHostileToken:
                tokens.Insert(at, HostileTokens[random.Next(HostileTokens.Length)]);
                break;
            case YamlMutation.ReplaceValue:
                // A value: a word or number right after "key: " on the same line.
                var values = Enumerable.Range(2, Math.Max(0, tokens.Count - 2))
                    .Where(i => tokens[i - 1] == " " && tokens[i - 2] == ":" && IsWord(tokens[i]))
                    .ToList();
                var target = values.Count > 0 ? values[random.Next(values.Count)] : at;
                tokens[target] = EdgeValues[random.Next(EdgeValues.Length)];
                break;
        }

        return string.Concat(tokens);
    }

    private string MutateLines(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var at = random.Next(lines.Count);
        switch (Kind)
        {
            case YamlMutation.DeleteLine:
                lines.RemoveAt(at);
                break;
            case YamlMutation.DuplicateLine:
                lines.Insert(random.Next(lines.Count + 1), lines[at]);
                break;
            default:
                var line = lines[at];
                var trimmed = line.TrimStart(' ');
                var indent = line.Length - trimmed.Length;
                var change = random.Next(2) == 0 ? -(1 + random.Next(Math.Max(1, indent))) : 1 + random.Next(4);
                lines[at] = new string(' ', Math.Max(0, indent + change)) + trimmed;
                break;
        }

        return string.Join('\n', lines);
    }

    private static string InjectStructure(string text, Random random)
    {
        string structure;
        switch (random.Next(7))
        {
            case 0:
                // Billion laughs: each level aliases the previous one nine times.
                var laughs = new StringBuilder("lol0: &l0 [lol]\n");
                for (var i = 1; i <= 9; i++)
                {
                    laughs.Append($"lol{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
                }

                structure = laughs.ToString();
                break;
            case 1:
                var depth = 20 + random.Next(200);
                structure = new string('[', depth) + "1" + new string(']', depth) + "\n";
                break;
            case 2:
                var nested = new StringBuilder();
                for (var i = 0; i < 20 + random.Next(60); i++)
                {
                    nested.Append(new string(' ', 2 * i)).Append("a:\n");
                }

                structure = nested.ToString();
                break;
            case 3:
                structure = "huge: " + new string('9', 1000 + random.Next(300_000)) + "\n";
                break;
            case 4:
                structure = "---\nid: second-document\n";
                break;
            case 5:
                structure = "operatorEfficiency: &e {Conv: 0.5}\nx: *e\n";
                break;
            default:
                var garbage = new byte[1 + random.Next(64)];
                random.NextBytes(garbage);
                structure = Encoding.Latin1.GetString(garbage);
                break;
        }

        var lines = text.Split('\n').ToList();
        lines.Insert(random.Next(lines.Count + 1), structure.TrimEnd('\n'));
        return string.Join('\n', lines);
    }

    private static bool IsWord(string token) => token.Length > 0 && !char.IsWhiteSpace(token[0]) && !"[]{},:#&*!|>'\"-".Contains(token[0]);

    /// <summary>Words and numbers, runs of spaces, newlines, and each punctuation character on its own.</summary>
    [GeneratedRegex(@"[A-Za-z0-9_.+\-]+|[ ]+|\r?\n|.", RegexOptions.Singleline)]
    private static partial Regex Token();
}
