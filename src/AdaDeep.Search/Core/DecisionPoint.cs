namespace AdaDeep.Search.Core;

/// <summary>
/// One layer an episode decides on. <see cref="CandidateActions"/> are the action indices that apply to the
/// layer of the original model ("none", index 0, always among them); which of them are legal in an episode can
/// shrink with earlier choices (see <see cref="ISearchEnvironment.LegalActions(IReadOnlyList{int})"/>).
/// </summary>
public sealed record DecisionPoint(string Name, LayerFeatures Features, IReadOnlyList<int> CandidateActions);
