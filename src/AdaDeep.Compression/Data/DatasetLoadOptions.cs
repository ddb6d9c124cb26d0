namespace AdaDeep.Compression.Data;

/// <summary>How <see cref="DatasetLoader"/> reads a data set.</summary>
/// <param name="MaxSamples">Keep only the first N samples (null: all).</param>
/// <param name="Scale">Multiplies every input value (e.g. 1/255 for a model that expects MNIST pixels in 0–1).</param>
/// <param name="MnistPart">For an MNIST folder holding both parts: "t10k" (test, the default) or "train".</param>
public sealed record DatasetLoadOptions(int? MaxSamples = null, float Scale = 1f, string MnistPart = "t10k");
