namespace AdaDeep.Fuzz;

/// <summary>How long and how hard to fuzz one target.</summary>
/// <param name="Seed">Seeds every mutation: the same seed gives the same inputs in the same order.</param>
/// <param name="Duration">Stop after this long (null: only <paramref name="MaxInputs"/> stops the run).</param>
/// <param name="MaxInputs">Stop after this many inputs (null: only <paramref name="Duration"/> stops the run).</param>
/// <param name="InputTimeout">An input that runs longer is a hang (a failure); its thread is abandoned.</param>
/// <param name="MaxAllocatedBytes">An input that makes the loader allocate more is a failure: a small file must not cost gigabytes.</param>
/// <param name="WorkFolder">Where inputs are written; emptied before each input.</param>
/// <param name="FailureFolder">Where failing inputs are saved with their error (null: not saved).</param>
public sealed record FuzzSettings(
    int Seed,
    TimeSpan? Duration,
    int? MaxInputs,
    TimeSpan InputTimeout,
    long MaxAllocatedBytes,
    string WorkFolder,
    string? FailureFolder)
{
    public const long DefaultMaxAllocatedBytes = 512L * 1024 * 1024;

    /// <summary>The most threads a run abandons to hangs before it stops (each keeps its CPU busy).</summary>
    public const int MaxAbandonedThreads = 4;
}
