namespace AdaDeep.Fuzz;

/// <summary>
/// A loader under test: the seeds it starts from, the mutations that suit its format, the error codes it documents,
/// and how one input is fed to it.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name used on the command line (onnx, yaml, data).</summary>
    string Name { get; }

    IReadOnlyList<FuzzSeed> Seeds { get; }

    IReadOnlyList<IMutator> Mutators { get; }

    /// <summary>The only AdaDeepException codes a rejected input may carry.</summary>
    IReadOnlySet<string> DocumentedCodes { get; }

    /// <summary>
    /// Writes <paramref name="input"/> into the empty <paramref name="folder"/> (named after the seed's file) and runs
    /// the loader and what consumes its result. Returns normally when the input is accepted; throws
    /// AdaDeepException to reject it; anything else (another exception, a broken invariant) is a bug.
    /// </summary>
    void Run(FuzzSeed seed, byte[] input, string folder);
}
