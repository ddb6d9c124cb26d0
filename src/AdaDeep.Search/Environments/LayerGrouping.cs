using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Search.Environments;

/// <summary>
/// Splits a deep net's layers into stages the search decides as one: a 50-layer MobileNet as 50 independent decisions
/// gets a handful of measured episodes that never reach most layers, and pruning one conv of a residual stage changes
/// little on its own. A stage is a run of consecutive layers (graph order) of one kind whose output has one spatial
/// size, the way CNN stages are drawn (the resolution changes between them); too many stages are merged (the adjacent
/// pair with the fewest MACs together, same kind first), too few are split (the stage with the most layers, in halves),
/// until there are <c>maxGroups</c>.
/// </summary>
public static class LayerGrouping
{
    /// <summary>Contiguous groups of <paramref name="layers"/> (graph order kept inside and between groups).</summary>
    public static IReadOnlyList<IReadOnlyList<LayerInfo>> Stages(IReadOnlyList<LayerInfo> layers, int maxGroups)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroups, 1);
        var groups = new List<List<LayerInfo>>();
        string? previous = null;
        foreach (var layer in layers)
        {
            var key = StageKey(layer);
            if (key != previous)
            {
                groups.Add(new List<LayerInfo>());
                previous = key;
            }

            groups[^1].Add(layer);
        }

        while (groups.Count > maxGroups)
        {
            var best = -1;
            var bestCost = (CrossKind: true, Macs: long.MaxValue);
            for (var i = 0; i + 1 < groups.Count; i++)
            {
                var cost = (CrossKind: groups[i][0].Kind != groups[i + 1][0].Kind, Macs: groups[i].Sum(l => l.Macs) + groups[i + 1].Sum(l => l.Macs));
                if (best < 0 || (!cost.CrossKind && bestCost.CrossKind) || (cost.CrossKind == bestCost.CrossKind && cost.Macs < bestCost.Macs))
                {
                    best = i;
                    bestCost = cost;
                }
            }

            groups[best].AddRange(groups[best + 1]);
            groups.RemoveAt(best + 1);
        }

        while (groups.Count < maxGroups)
        {
            var largest = groups.Select((g, i) => (g.Count, i)).MaxBy(x => x.Count);
            if (largest.Count < 2)
            {
                break;
            }

            var group = groups[largest.i];
            var half = group.Count / 2;
            groups[largest.i] = group.Take(half).ToList();
            groups.Insert(largest.i + 1, group.Skip(half).ToList());
        }

        return groups;
    }

    /// <summary>"Conv 16x16": the kind and, for a conv, its output's spatial size (the stage's resolution).</summary>
    private static string StageKey(LayerInfo layer)
    {
        var output = layer.OutputShapes.Count > 0 ? layer.OutputShapes[0] : null;
        var spatial = layer.Kind == LayerKind.Conv && output is { Length: > 2 } ? string.Join("x", output.Skip(2)) : "";
        return $"{layer.Kind} {spatial}";
    }
}
