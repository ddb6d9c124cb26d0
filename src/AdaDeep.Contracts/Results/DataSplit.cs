namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// One split of the run's data as the report and the result JSON name it: what it is for, where its samples come
/// from and how many there are. <see cref="Names"/> lists the splits a run has.
/// </summary>
/// <param name="Name">search, validation, fine-tune or test.</param>
/// <param name="Source">The file or folder and the part of it (e.g. "…/train-images-idx3-ubyte, seeded 30 % of 10,000").</param>
/// <param name="Samples">How many samples the split holds.</param>
/// <param name="Use">What the pipeline does with it, in words.</param>
public sealed record DataSplit(string Name, string Source, int Samples, string Use)
{
    /// <summary>For the result document's reader (ContractJson creates, then sets the members).</summary>
    public DataSplit()
        : this("", "", 0, "")
    {
    }

    public static class Names
    {
        public const string Search = "search";
        public const string Validation = "validation";
        public const string FineTune = "fine-tune";
        public const string Test = "test";
    }
}
