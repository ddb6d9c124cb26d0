using System.Globalization;
using System.Text;

// Part of AdaDeep.Contracts, which the MSBuild task loads (netstandard2.0 has no System.Text.Json, and an MSBuild task
// must not ship its own copy of it): a small reader and writer for the flat documents the cache and the tool exchange.
namespace AdaDeep.Engine.Cache;

/// <summary>
/// Minimal JSON: parses into <see cref="Dictionary{TKey,TValue}"/> (ordinal keys), <see cref="List{T}"/>, string,
/// double, bool and null; writes the same types plus integers, indented, with keys in insertion order.
/// </summary>
public static class CacheJson
{
    public static object? Parse(string text)
    {
        var reader = new Reader(text ?? throw new ArgumentNullException(nameof(text)));
        reader.SkipWhitespace();
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (!reader.AtEnd)
        {
            throw reader.Error("unexpected text after the JSON value");
        }

        return value;
    }

    /// <summary>Parses a document whose top level must be an object.</summary>
    public static Dictionary<string, object?> ParseObject(string text) =>
        Parse(text) as Dictionary<string, object?> ?? throw new FormatException("the JSON document is not an object");

    public static string Write(object? value)
    {
        var text = new StringBuilder();
        WriteValue(text, value, 0);
        text.Append('\n');
        return text.ToString();
    }

    public static string? GetString(IReadOnlyDictionary<string, object?> obj, string name) =>
        obj.TryGetValue(name, out var v) ? v as string : null;

    public static double? GetNumber(IReadOnlyDictionary<string, object?> obj, string name) =>
        obj.TryGetValue(name, out var v) && v is double d ? d : null;

    public static bool? GetBool(IReadOnlyDictionary<string, object?> obj, string name) =>
        obj.TryGetValue(name, out var v) && v is bool b ? b : null;

    private static void WriteValue(StringBuilder text, object? value, int indent)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                WriteString(text, s);
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case int or long or short or byte or uint or ulong:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case double d:
                text.Append(double.IsNaN(d) || double.IsInfinity(d) ? "null" : d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f:
                WriteValue(text, (double)f, indent);
                break;
            case IEnumerable<KeyValuePair<string, object?>> obj:
                WriteObject(text, obj, indent);
                break;
            case IEnumerable<KeyValuePair<string, string>> strings:
                WriteObject(text, strings.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)), indent);
                break;
            case System.Collections.IEnumerable list:
                WriteArray(text, list.Cast<object?>(), indent);
                break;
            default:
                throw new ArgumentException($"cannot write a {value.GetType().Name} as JSON");
        }
    }

    private static void WriteObject(StringBuilder text, IEnumerable<KeyValuePair<string, object?>> obj, int indent)
    {
        var pairs = obj.ToList();
        if (pairs.Count == 0)
        {
            text.Append("{}");
            return;
        }

        text.Append("{\n");
        for (var i = 0; i < pairs.Count; i++)
        {
            text.Append(' ', (indent + 1) * 2);
            WriteString(text, pairs[i].Key);
            text.Append(": ");
            WriteValue(text, pairs[i].Value, indent + 1);
            text.Append(i + 1 < pairs.Count ? ",\n" : "\n");
        }

        text.Append(' ', indent * 2).Append('}');
    }

    private static void WriteArray(StringBuilder text, IEnumerable<object?> items, int indent)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            text.Append("[]");
            return;
        }

        text.Append("[\n");
        for (var i = 0; i < list.Count; i++)
        {
            text.Append(' ', (indent + 1) * 2);
            WriteValue(text, list[i], indent + 1);
            text.Append(i + 1 < list.Count ? ",\n" : "\n");
        }

        text.Append(' ', indent * 2).Append(']');
    }

    private static void WriteString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private sealed class Reader
    {
        private readonly string _text;
        private int _pos;

        public Reader(string text) => _text = text;

        public bool AtEnd => _pos >= _text.Length;

        public FormatException Error(string message) => new FormatException($"invalid JSON at offset {_pos}: {message}");

        public void SkipWhitespace()
        {
            while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t' || _text[_pos] == '\n' || _text[_pos] == '\r' || _text[_pos] == '\uFEFF'))
            {
                _pos++;
            }
        }

        public object? ReadValue()
        {
            if (AtEnd)
            {
                throw Error("unexpected end");
            }

            switch (_text[_pos])
            {
                case '{': return ReadObject();
                case '[': return ReadArray();
                case '"': return ReadString();
                case 't': Expect("true"); return true;
                case 'f': Expect("false"); return false;
                case 'n': Expect("null"); return null;
                default: return ReadNumber();
            }
        }

        private Dictionary<string, object?> ReadObject()
        {
            var obj = new Dictionary<string, object?>(StringComparer.Ordinal);
            _pos++;
            SkipWhitespace();
            if (Peek() == '}')
            {
                _pos++;
                return obj;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("expected a property name");
                }

                var name = ReadString();
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Error("expected ':'");
                }

                _pos++;
                SkipWhitespace();
                obj[name] = ReadValue();
                SkipWhitespace();
                var c = Peek();
                _pos++;
                if (c == '}')
                {
                    return obj;
                }

                if (c != ',')
                {
                    throw Error("expected ',' or '}'");
                }
            }
        }

        private List<object?> ReadArray()
        {
            var list = new List<object?>();
            _pos++;
            SkipWhitespace();
            if (Peek() == ']')
            {
                _pos++;
                return list;
            }

            while (true)
            {
                SkipWhitespace();
                list.Add(ReadValue());
                SkipWhitespace();
                var c = Peek();
                _pos++;
                if (c == ']')
                {
                    return list;
                }

                if (c != ',')
                {
                    throw Error("expected ',' or ']'");
                }
            }
        }

        private string ReadString()
        {
            _pos++;
            var text = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("unterminated string");
                }

                var c = _text[_pos++];
                if (c == '"')
                {
                    return text.ToString();
                }

                if (c != '\\')
                {
                    text.Append(c);
                    continue;
                }

                if (AtEnd)
                {
                    throw Error("unterminated escape");
                }

                var e = _text[_pos++];
                switch (e)
                {
                    case '"': text.Append('"'); break;
                    case '\\': text.Append('\\'); break;
                    case '/': text.Append('/'); break;
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length)
                        {
                            throw Error("short \\u escape");
                        }

                        text.Append((char)int.Parse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _pos += 4;
                        break;
                    default: throw Error($"unknown escape \\{e}");
                }
            }
        }

        private double ReadNumber()
        {
            var start = _pos;
            while (_pos < _text.Length && "+-0123456789.eE".IndexOf(_text[_pos]) >= 0)
            {
                _pos++;
            }

            if (start == _pos || !double.TryParse(_text.Substring(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                _pos = start;
                throw Error("expected a value");
            }

            return value;
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
            {
                throw Error($"expected {word}");
            }

            _pos += word.Length;
        }

        private char Peek() => AtEnd ? throw Error("unexpected end") : _text[_pos];
    }
}
