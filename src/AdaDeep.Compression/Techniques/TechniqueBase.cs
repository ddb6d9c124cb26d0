using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// Shared plumbing of the techniques: find the node, ask the technique whether it applies, rewrite a clone,
/// drop what the rewrite orphaned and validate. Subclasses only describe the check and the rewrite.
/// </summary>
public abstract class TechniqueBase : ICompressionTechnique
{
    public abstract string Id { get; }

    public abstract string Description { get; }

    public abstract bool NeedsFineTuning { get; }

    public Applicability CanApply(OnnxModel model, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var node = FindNode(model.Graph, nodeName);
        if (node is null)
        {
            // The analysis lists If/Loop/Scan body nodes (they cost time), but a rewrite of one would have to edit the
            // body graph and keep it valid for every iteration or branch: they are not decision points.
            return Applicability.No(InSubgraph(model.Graph, nodeName)
                ? $"node '{nodeName}' is inside an If/Loop/Scan body; techniques rewrite top-level layers only"
                : $"the model has no node named '{nodeName}'");
        }

        return Check(model, new GraphIndex(model.Graph), node);
    }

    public OnnxModel Apply(OnnxModel model, string nodeName, TechniqueOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var verdict = CanApply(model, nodeName);
        if (!verdict.CanApply)
        {
            throw NotApplicable(model, nodeName, verdict.Reason);
        }

        var session = new RewriteSession(model);
        Rewrite(session, FindNode(session.Graph, nodeName)!, options);
        return session.Finish();
    }

    /// <summary>Structural check on the unmodified model (never mutates it).</summary>
    internal abstract Applicability Check(OnnxModel model, GraphIndex index, NodeProto node);

    /// <summary>Rewrites the session's clone; the node is the clone's node of the same name.</summary>
    internal abstract void Rewrite(RewriteSession session, NodeProto node, TechniqueOptions options);

    internal AdaDeepException NotApplicable(OnnxModel model, string nodeName, string reason) =>
        new(ErrorCodes.TechniqueNotApplicable, $"technique {Id} cannot rewrite node '{nodeName}': {reason}", model.SourcePath);

    internal AdaDeepException InvalidOption(string option, string why) =>
        new(ErrorCodes.TechniqueOptionInvalid, $"technique {Id}: option {option} {why}");

    /// <summary>
    /// Refuses a fraction option outside (0, 1), widened to take 0 and/or 1 where the technique can; NaN never passes
    /// (every comparison with it is false, so a plain range pattern would let it through).
    /// </summary>
    internal void RequireFraction(float value, string option, bool zeroAllowed = false, bool oneAllowed = false)
    {
        var aboveZero = zeroAllowed ? value >= 0 : value > 0;
        var belowOne = oneAllowed ? value <= 1 : value < 1;
        if (!(aboveZero && belowOne))
        {
            throw InvalidOption(option, $"must be in {(zeroAllowed ? "[" : "(")}0, 1{(oneAllowed ? "]" : ")")}");
        }
    }

    /// <summary>
    /// "W3@90", "P1@25": the id of a level variant (a technique at a fixed share, so a search can choose each layer's
    /// level), for a whole percentage in 1..99.
    /// </summary>
    internal static string LevelId(string baseId, int percent, string parameter)
    {
        if (percent is < 1 or > 99)
        {
            throw new ArgumentOutOfRangeException(parameter, "a pruning level is a whole percentage in 1..99");
        }

        return baseId + MagnitudePruningTechnique.LevelSeparator + percent.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Refuses a divisor option below 1.</summary>
    internal void RequireAtLeastOne(int value, string option)
    {
        if (value < 1)
        {
            throw InvalidOption(option, "must be at least 1");
        }
    }

    /// <summary>Finds a node by name (or, for unnamed nodes, by the label GraphValidator prints).</summary>
    public static NodeProto? FindNode(GraphProto graph, string nodeName) =>
        graph.Node.FirstOrDefault(n => n.Name == nodeName) ??
        graph.Node.FirstOrDefault(n => string.IsNullOrEmpty(n.Name) && GraphValidator.NodeLabel(n) == nodeName);

    private static bool InSubgraph(GraphProto graph, string nodeName) =>
        graph.Node.SelectMany(n => n.Attribute).SelectMany(a => a.G is null ? a.Graphs : a.Graphs.Prepend(a.G))
            .Any(g => FindNode(g, nodeName) is not null || InSubgraph(g, nodeName));

    /// <summary>k = max(1, m / divisor), clipped to what the matrix can carry.</summary>
    internal static int RankFor(int m, int divisor, int limit) => Math.Clamp(m / Math.Max(divisor, 1), 1, Math.Max(limit, 1));

    internal static string Stem(NodeProto node, string role) =>
        $"{(string.IsNullOrEmpty(node.Name) ? node.OpType.ToLowerInvariant() : node.Name)}_{role}";
}
