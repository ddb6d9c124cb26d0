namespace AdaDeep.Compression.Tests;

/// <summary>
/// Tests that compare bytes of TorchSharp training runs: they run alone, after the parallel tests, because the
/// intra-op thread count and the global RNG that other trainers set are process-wide.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateCollection
{
    public const string Name = "TorchSharp global state";
}
