using AdaDeep.Onnx.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AdaDeep.Devices.Profiles.Yaml;

/// <summary>
/// Loads a YAML text into YamlDotNet's representation model (plain nodes; nothing is instantiated from the text)
/// after a streaming pre-pass that rejects what a device profile never needs and what an attacker could abuse:
/// explicit tags (<c>!!python/object</c>, <c>!&lt;System.Diagnostics.Process&gt;</c>), several documents, deep nesting,
/// and anchors/aliases whose expansion would explode ("billion laughs"). Every YAML error becomes
/// <see cref="ErrorCodes.ProfileMalformed"/> with the line and column and the file.
/// </summary>
internal static class SafeYamlLoader
{
    /// <summary>A profile file is a few kilobytes; anything this large is a mistake or an attack.</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>Nodes after expanding every alias (the catalog holds well under a thousand).</summary>
    public const long MaxExpandedNodes = 100_000;

    public const int MaxDepth = 32;

    public static YamlNode? Load(string text, string file)
    {
        if (text.Length > MaxChars)
        {
            throw new AdaDeepException(ErrorCodes.ProfileMalformed,
                $"the profile file is {text.Length:N0} characters long; device profiles are limited to {MaxChars:N0}.", file);
        }

        try
        {
            PrePass(text, file);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            throw Malformed(e.Start, Describe(e), file, e);
        }
        catch (ArgumentException e)
        {
            // The representation model reports a duplicate mapping key this way.
            throw new AdaDeepException(ErrorCodes.ProfileMalformed, $"invalid YAML: {e.Message}", file, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18.1's scanner throws this on some malformed plain scalars (found by src/AdaDeep.Fuzz).
            throw new AdaDeepException(ErrorCodes.ProfileMalformed, $"invalid YAML: the YAML reader failed ({e.Message})", file, e);
        }
    }

    public static AdaDeepException Malformed(Mark at, string message, string file, Exception? inner = null) =>
        new(ErrorCodes.ProfileMalformed, $"line {at.Line}, column {at.Column}: {message}", file, inner);

    /// <summary>
    /// Walks the event stream once, counting for every collection the nodes it stands for once aliases are expanded
    /// (an alias counts as the whole anchored node). Counts saturate, so nested aliases cannot overflow.
    /// </summary>
    private static void PrePass(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Nodes)>();
        long total = 0;
        var documents = 0;

        void Add(long nodes, Mark at)
        {
            if (open.Count == 0)
            {
                total = Saturate(total + nodes);
            }
            else
            {
                var (anchor, count) = open.Pop();
                open.Push((anchor, Saturate(count + nodes)));
            }

            if (total > MaxExpandedNodes || (open.Count > 0 && open.Peek().Nodes > MaxExpandedNodes))
            {
                throw Malformed(at, $"the document expands to more than {MaxExpandedNodes:N0} nodes through anchors and aliases; device profiles do not need that.", file);
            }
        }

        while (parser.MoveNext())
        {
            var e = parser.Current!;
            if (e is DocumentStart && ++documents > 1)
            {
                throw Malformed(e.Start, "a profile file holds one YAML document; found a second one ('---').", file);
            }

            if (e is NodeEvent node && !node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
            {
                throw Malformed(e.Start, $"YAML tags ('{node.Tag.Value}') are not allowed in device profiles; remove the tag.", file);
            }

            switch (e)
            {
                case Scalar scalar:
                    Remember(scalar.Anchor, 1);
                    Add(1, e.Start);
                    break;
                case AnchorAlias alias:
                    Add(anchors.TryGetValue(alias.Value.Value, out var size) ? size : 1, e.Start);
                    break;
                case MappingStart or SequenceStart:
                    if (open.Count >= MaxDepth)
                    {
                        throw Malformed(e.Start, $"nesting deeper than {MaxDepth} levels.", file);
                    }

                    var nodeEvent = (NodeEvent)e;
                    open.Push((nodeEvent.Anchor.IsEmpty ? null : nodeEvent.Anchor.Value, 1));
                    break;
                case MappingEnd or SequenceEnd:
                    var (anchorName, nodes) = open.Pop();
                    if (anchorName is not null)
                    {
                        anchors[anchorName] = nodes;
                    }

                    Add(nodes, e.Start);
                    break;
            }
        }

        void Remember(AnchorName anchor, long nodes)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = nodes;
            }
        }
    }

    private static long Saturate(long value) => Math.Min(value, MaxExpandedNodes + 1);

    /// <summary>YamlDotNet messages repeat the position as "(Line: 3, Col: 5, Idx: 20) - (…): text"; keep the text.</summary>
    private static string Describe(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0)
        {
            message = message[(cut + 3)..];
        }

        return $"invalid YAML: {message.Trim()}";
    }
}
