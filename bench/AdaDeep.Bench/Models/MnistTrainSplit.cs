using System.Buffers.Binary;
using AdaDeep.Compression.Data;

namespace AdaDeep.Bench.Models;

/// <summary>
/// MNIST `train` split once into the part every original of the Deep-Compression benches trains on (54,000 images)
/// and the part that picks its best epoch (6,000): the split SupervisedTrainer makes itself (10 %, seed 0), written
/// as IDX folders so that `adadeep compress --dataset TRAIN --validation-dataset VALIDATION` and the PyTorch hand
/// pipeline judge on images no model was trained on. `t10k` stays untouched for the reported accuracy.
/// </summary>
public static class MnistTrainSplit
{
    public const double ValidationFraction = 0.1;

    public const int Seed = 0;

    public sealed record Folders(string Train, string Validation, int TrainCount, int ValidationCount);

    public static Folders Ensure(RepoLayout repo)
    {
        var root = Path.Combine(repo.BenchData, "mnist-split");
        var train = Path.Combine(root, "train");
        var validation = Path.Combine(root, "validation");
        var stamp = Path.Combine(root, "split.txt");
        if (!File.Exists(stamp))
        {
            repo.RequireMnist();
            var all = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MnistPart: "train"));
            var (trainPart, validationPart) = all.Split(ValidationFraction, Seed);
            Write(train, trainPart);
            Write(validation, validationPart);
            File.WriteAllText(stamp, $"MNIST train split by Dataset.Split({ValidationFraction}, seed {Seed}): {trainPart.Count} train, {validationPart.Count} validation\n");
        }

        return new Folders(train, validation, CountOf(train), CountOf(validation));
    }

    private static int CountOf(string folder) =>
        BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte")).AsSpan(4, 4));

    /// <summary>An IDX pair named like MNIST's train part; pixels are the loader's raw 0–255 values.</summary>
    private static void Write(string folder, Dataset data)
    {
        Directory.CreateDirectory(folder);
        var pixels = data.X.Select(v => (byte)Math.Clamp(MathF.Round(v), 0, 255)).ToArray();
        var labels = data.Labels!.Select(l => (byte)l).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), DataFileWriter.Idx(new[] { data.Count, data.SampleShape[^2], data.SampleShape[^1] }, pixels));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), DataFileWriter.Idx(new[] { data.Count }, labels));
    }
}
