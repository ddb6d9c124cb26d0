namespace AdaDeep.Search.Core;

/// <summary>
/// One layer, or one stage of layers, an episode decides on. <see cref="CandidateActions"/> are the action indices
/// that apply to it in the original model ("none", index 0, always among them); which of them are legal in an episode
/// can shrink with earlier choices (see <see cref="ISearchEnvironment.LegalActions(IReadOnlyList{int})"/>).
/// </summary>
public sealed record DecisionPoint(string Name, LayerFeatures Features, IReadOnlyList<int> CandidateActions)
{
    /// <summary>The graph nodes the decision rewrites: the layer itself, or every layer of a stage (see LayerGrouping).</summary>
    public IReadOnlyList<string> Layers { get; init; } = new[] { Name };
}
