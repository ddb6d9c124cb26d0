namespace AdaDeep.Search.Core;

/// <summary>Helpers for action lists and configurations.</summary>
public static class SearchActions
{
    /// <summary>The action that leaves a layer as it is; always index 0.</summary>
    public const string None = "none";

    public const int NoneIndex = 0;

    /// <summary>Canonical form of a configuration: trailing "none"s dropped (they change nothing).</summary>
    public static int[] Canonical(IReadOnlyList<int> configuration)
    {
        var n = configuration.Count;
        while (n > 0 && configuration[n - 1] == NoneIndex)
        {
            n--;
        }

        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = configuration[i];
        }

        return result;
    }

    /// <summary>A stable text key for a configuration (same configuration, trailing nones or not → same key).</summary>
    public static string Key(IReadOnlyList<int> configuration) => string.Join(",", Canonical(configuration));

    /// <summary>The configuration padded with "none" to <paramref name="length"/> decision points.</summary>
    public static int[] Pad(IReadOnlyList<int> configuration, int length)
    {
        var result = new int[length];
        for (var i = 0; i < Math.Min(length, configuration.Count); i++)
        {
            result[i] = configuration[i];
        }

        return result;
    }

    /// <summary>Action ids of a configuration, padded to every decision point.</summary>
    public static string[] Ids(ISearchEnvironment env, IReadOnlyList<int> configuration) =>
        Pad(configuration, env.DecisionPoints.Count).Select(a => env.Actions[a]).ToArray();
}
