namespace AdaDeep.Search.Core;

/// <summary>One way of choosing a configuration (dqn, greedy, exhaustive, random, single:&lt;id&gt;).</summary>
public interface ISearchStrategy
{
    string Id { get; }

    /// <summary>
    /// Searches <paramref name="env"/>; stops when its episodes are done or <see cref="SearchOptions.TimeBudget"/> is
    /// spent (returning the best so far). Throws OperationCanceledException when <paramref name="ct"/> is cancelled.
    /// </summary>
    SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct);
}
