using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Analysis;

/// <summary>
/// How many times each node runs per inference as the cost model counts it, and where it sits, for nodes inside
/// If/Loop/Scan bodies (top-level nodes run once):
/// <list type="bullet">
/// <item>If: only one branch runs, and which one depends on the data, so the branch with more MACs counts (1 run) and
/// the other counts 0 runs: an estimate must not add both, nor assume the cheaper one.</item>
/// <item>Loop: the body runs its constant trip count M times. A trip count that is not a constant (computed, or absent)
/// or is a sentinel past <see cref="MaxTrustedTrips"/> (exporters write INT64_MAX for "until the condition stops") counts
/// once and is noted as a lower bound. A constant M is an upper bound when the condition ends the loop early; that is
/// not knowable statically either.</item>
/// <item>Scan: the body runs once per slice of the first scan input's scan axis, when that length is known; else once,
/// noted as a lower bound.</item>
/// <item>Other nodes with graph attributes: their bodies count once.</item>
/// </list>
/// Runs multiply through nesting (an If inside a Loop body).
/// </summary>
internal sealed class ControlFlowRuns
{
    /// <summary>Larger constant trip counts are taken as "no bound" sentinels, not as real iteration counts.</summary>
    public const long MaxTrustedTrips = 1L << 20;

    private readonly Func<NodeProto, long> _macs;
    private readonly IReadOnlyDictionary<string, TensorProto> _constants;
    private readonly IReadOnlyDictionary<string, long[]> _shapes;
    private readonly Dictionary<NodeProto, (long Runs, string? Scope)> _placement = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _notes = new();

    private ControlFlowRuns(Func<NodeProto, long> macs, IReadOnlyDictionary<string, TensorProto> constants, IReadOnlyDictionary<string, long[]> shapes)
    {
        _macs = macs;
        _constants = constants;
        _shapes = shapes;
    }

    /// <summary>Runs and scope ("If 'branch' then_branch", nested with " › ") of every node; notes on what was assumed.</summary>
    public static (IReadOnlyDictionary<NodeProto, (long Runs, string? Scope)> Placement, IReadOnlyList<string> Notes) Compute(
        GraphProto graph, Func<NodeProto, long> macs, IReadOnlyDictionary<string, TensorProto> constants, IReadOnlyDictionary<string, long[]> shapes)
    {
        var runs = new ControlFlowRuns(macs, constants, shapes);
        runs.Walk(graph, 1, null, record: true);
        return (runs._placement, runs._notes);
    }

    /// <summary>Places the graph's nodes (when recording) and returns its MACs per inference, runs included.</summary>
    private double Walk(GraphProto graph, long runs, string? scope, bool record)
    {
        double macs = 0;
        foreach (var node in graph.Node)
        {
            if (record)
            {
                _placement[node] = (runs, scope);
            }

            macs += (double)_macs(node) * runs;
            if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
            {
                macs += WalkBodies(node, runs, scope, record);
            }
        }

        return macs;
    }

    private double WalkBodies(NodeProto node, long runs, string? scope, bool record)
    {
        var label = $"{node.OpType} '{GraphValidator.NodeLabel(node)}'";
        string Inner(string body) => scope is null ? $"{label} {body}" : $"{scope} › {label} {body}";
        switch (node.OpType)
        {
            case "If" when Body(node, "then_branch") is { } thenBranch && Body(node, "else_branch") is { } elseBranch:
            {
                // Only one branch runs per inference and which one depends on the data: count the costlier one.
                var thenMacs = Walk(thenBranch, 1, null, record: false);
                var elseMacs = Walk(elseBranch, 1, null, record: false);
                var thenCounts = thenMacs >= elseMacs;
                var counted = Walk(thenCounts ? thenBranch : elseBranch, runs, Inner(thenCounts ? "then_branch" : "else_branch"), record);
                Walk(thenCounts ? elseBranch : thenBranch, 0, Inner(thenCounts ? "else_branch" : "then_branch"), record);
                if (record && (thenMacs > 0 || elseMacs > 0))
                {
                    _notes.Add($"{label}: only one branch runs per inference; the costlier one counts " +
                        $"({(thenCounts ? "then_branch" : "else_branch")}, {Math.Max(thenMacs, elseMacs):N0} MACs; " +
                        $"{(thenCounts ? "else_branch" : "then_branch")}, {Math.Min(thenMacs, elseMacs):N0} MACs, counts 0 runs)");
                }

                return counted;
            }

            case "Loop" when Body(node, "body") is { } body:
            {
                var trips = LoopTrips(node);
                if (record)
                {
                    _notes.Add(trips is { } t
                        ? $"{label}: its body counts {t:N0} runs (the constant trip count; fewer when its condition ends it early)"
                        : $"{label}: its trip count is not a constant, so its body counts 1 run: MACs, latency and energy are a lower bound");
                }

                return Walk(body, Times(runs, trips ?? 1), Inner("body"), record);
            }

            case "Scan" when Body(node, "body") is { } body:
            {
                var trips = ScanTrips(node);
                if (record)
                {
                    _notes.Add(trips is { } t
                        ? $"{label}: its body counts {t:N0} runs (the scan axis length)"
                        : $"{label}: its scan length is unknown, so its body counts 1 run: MACs, latency and energy are a lower bound");
                }

                return Walk(body, Times(runs, trips ?? 1), Inner("body"), record);
            }

            default:
            {
                double macs = 0;
                foreach (var attr in node.Attribute)
                {
                    if (attr.G is not null)
                    {
                        macs += Walk(attr.G, runs, Inner(attr.Name), record);
                    }

                    foreach (var g in attr.Graphs)
                    {
                        macs += Walk(g, runs, Inner(attr.Name), record);
                    }
                }

                return macs;
            }
        }
    }

    /// <summary>runs × trips, saturating at <see cref="ShapeArithmetic.MaxCount"/> (nested loops; the totals check refuses such counts).</summary>
    private static long Times(long runs, long trips) =>
        trips == 0 || runs <= ShapeArithmetic.MaxCount / trips ? runs * trips : ShapeArithmetic.MaxCount;

    private static GraphProto? Body(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.G;

    /// <summary>The constant trip count M (input 0), or null when absent, computed or a "no bound" sentinel.</summary>
    private long? LoopTrips(NodeProto node)
    {
        if (node.Input.Count == 0 || node.Input[0].Length == 0 || !_constants.TryGetValue(node.Input[0], out var tensor))
        {
            return null;
        }

        try
        {
            return TensorData.ToInt64s(tensor) is [var m] && m is >= 0 and <= MaxTrustedTrips ? m : null;
        }
        catch (Diagnostics.AdaDeepException)
        {
            return null; // a trip count of a type we cannot read: unknown
        }
    }

    /// <summary>The length of the first scan input's scan axis (opset 9+ layout), or null when unknown.</summary>
    private long? ScanTrips(NodeProto node)
    {
        var scanInputs = (int)node.GetInt("num_scan_inputs", 0);
        var first = node.Input.Count - scanInputs;
        if (scanInputs <= 0 || first < 0 || !_shapes.TryGetValue(node.Input[first], out var shape))
        {
            return null;
        }

        var axis = node.GetInts("scan_input_axes", new long[] { 0 }) is { Length: > 0 } axes ? axes[0] : 0;
        axis = axis < 0 ? axis + shape.Length : axis;
        return axis >= 0 && axis < shape.Length && shape[axis] is > 0 and <= MaxTrustedTrips ? shape[axis] : null;
    }
}
