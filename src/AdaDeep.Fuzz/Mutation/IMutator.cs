namespace AdaDeep.Fuzz;

/// <summary>One kind of seeded change to an input. Deterministic: the same input and random state give the same bytes.</summary>
public interface IMutator
{
    string Name { get; }

    /// <summary>A mutant of <paramref name="input"/> (never the same array); <paramref name="corpus"/> feeds splicing.</summary>
    byte[] Mutate(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus);
}
