namespace AdaDeep.Devices.Profiles;

/// <summary>Suggestions for a mistyped name: candidates within a small edit distance, or that contain it, or that it contains.
/// In AdaDeep.Contracts (namespace kept) so that the MSBuild task suggests device ids and metadata names the same way.</summary>
public static class NearNames
{
    public static IReadOnlyList<string> Find(string wanted, IEnumerable<string> candidates, int max = 5)
    {
        var needle = wanted.Trim().ToLowerInvariant();
        if (needle.Length == 0)
        {
            return Array.Empty<string>();
        }

        // A third of the name, at least 2: "sony-sw2" finds "sony-sw3", "redmi3s" finds "xiaomi-redmi-3s" by substring.
        var allowed = Math.Max(2, needle.Length / 3);
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Lower: c.ToLowerInvariant()))
            .Select(c => (c.Name, Distance: EditDistance(needle, c.Lower), Contains: needle.Length >= 3 && (c.Lower.Contains(needle) || needle.Contains(c.Lower) || Squashed(c.Lower).Contains(Squashed(needle)))))
            .Where(c => c.Distance <= allowed || c.Contains)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>Levenshtein distance (insertions, deletions and substitutions each cost 1).</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Squashed(string s) => new string(s.Where(char.IsLetterOrDigit).ToArray());
}
