namespace AdaDeep.Compression.Techniques.Linalg;

/// <summary>
/// SplitMix64: a tiny seeded generator whose sequence is fixed by its definition, so rewrites give the same
/// bytes on every .NET version and platform (System.Random's seeded sequence is an implementation detail).
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _state;

    public DeterministicRandom(long seed)
    {
        _state = unchecked((ulong)seed);
    }

    /// <summary>A stream derived from a seed and a label (e.g. a node name), so different layers draw differently.</summary>
    public static DeterministicRandom For(long seed, string label)
    {
        // FNV-1a over the label: stable, unlike string.GetHashCode.
        var h = 14695981039346656037UL;
        foreach (var ch in label)
        {
            h = unchecked((h ^ ch) * 1099511628211UL);
        }

        return new DeterministicRandom(unchecked((long)(h ^ (ulong)seed)));
    }

    public ulong NextUInt64()
    {
        var z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)(NextDouble() * n);

    /// <summary>k distinct values of [0, n), in increasing order (partial Fisher–Yates).</summary>
    public int[] Sample(int n, int k)
    {
        var pool = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = i + NextInt(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        var chosen = pool.Take(k).ToArray();
        Array.Sort(chosen);
        return chosen;
    }
}
