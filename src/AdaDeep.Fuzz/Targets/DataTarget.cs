using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Fuzz.Targets;

/// <summary>
/// Data sets: DatasetLoader on .npz (stored and deflated), .npy (format 1 and 2), MNIST IDX (raw and gzipped, images
/// and labels) and ONNX test_data_set folders, then what the engine does with a data set — check it against the model
/// it is for, conform it, take, split. Seeds are written in code from the real mnist-8 test inputs and a few rows of
/// the iris data set; each seed may bring valid companion files (the labels beside an images file, a second test set).
/// </summary>
public sealed class DataTarget : IFuzzTarget
{
    public static readonly IReadOnlySet<string> Codes = new HashSet<string>
    {
        ErrorCodes.DatasetMalformed, ErrorCodes.DatasetShapeMismatch,
    };

    // Rows of Fisher's iris data set (sepal length, sepal width, petal length, petal width) and their classes.
    private static readonly double[][] IrisRows =
    {
        new[] { 5.1, 3.5, 1.4, 0.2 }, new[] { 7.0, 3.2, 4.7, 1.4 }, new[] { 6.3, 3.3, 6.0, 2.5 }, new[] { 4.9, 3.0, 1.4, 0.2 },
    };

    private static readonly int[] IrisClasses = { 0, 1, 2, 0 };

    private readonly Dictionary<string, DataSeed> layouts = new(StringComparer.Ordinal);

    public DataTarget(string repoRoot)
    {
        var mnist = OnnxModel.Load(Path.Combine(repoRoot, "models", "mnist-8", "model.onnx"));
        var iris = OnnxModel.Load(Path.Combine(repoRoot, "models", "iris-mlp", "model.onnx"));
        var sets = Path.Combine(repoRoot, "models", "mnist-8");
        var input0 = File.ReadAllBytes(Path.Combine(sets, "test_data_set_0", "input_0.pb"));
        var input1 = File.ReadAllBytes(Path.Combine(sets, "test_data_set_1", "input_0.pb"));

        // Two real MNIST digits (the mnist-8 test inputs) and their classes (argmax of the expected outputs).
        var digits = new[] { input0, input1 }.Select(b => TensorData.ToFloats(TensorFile.Parse(b))).ToArray();
        var digitClasses = new[] { "test_data_set_0", "test_data_set_1" }
            .Select(s => ArgMax(TensorData.ToFloats(TensorFile.Read(Path.Combine(sets, s, "output_0.pb"))))).ToArray();
        var pixels = digits.SelectMany(d => d).Select(v => (byte)Math.Clamp(MathF.Round(v), 0, 255)).ToArray();
        var xMnist = DataFileWriter.Npy("<f4", new[] { 2, 1, 28, 28 }, DataFileWriter.Floats(digits.SelectMany(d => d)));
        var yMnist = DataFileWriter.Npy("<i8", new[] { 2 }, DataFileWriter.Int64s(digitClasses.Select(c => (long)c)));
        var xIris = DataFileWriter.Npy("<f8", new[] { 4, 4 }, DataFileWriter.Doubles(IrisRows.SelectMany(r => r)));
        var yIris = DataFileWriter.Npy("<i4", new[] { 4 }, DataFileWriter.Int32s(IrisClasses));
        var images = DataFileWriter.Idx(new[] { 2, 28, 28 }, pixels);
        var labels = DataFileWriter.Idx(new[] { 2 }, digitClasses.Select(c => (byte)c).ToArray());
        var none = new Dictionary<string, byte[]>();

        Add("mnist.npz", DataFileWriter.Npz(new[] { ("x.npy", xMnist), ("y.npy", yMnist) }, compressed: false), "data.npz", mnist, none);
        Add("mnist-deflated.npz", DataFileWriter.Npz(new[] { ("x.npy", xMnist), ("y.npy", yMnist) }, compressed: true), "data.npz", mnist, none);
        Add("iris.npz", DataFileWriter.Npz(new[] { ("x.npy", xIris), ("y.npy", yIris) }, compressed: false), "iris.npz", iris, none);
        Add("mnist-u1.npy", DataFileWriter.Npy("|u1", new[] { 2, 28, 28 }, pixels), "x.npy", mnist, none);
        Add("iris-v2.npy", DataFileWriter.Npy("<f4", new[] { 4, 4 }, DataFileWriter.Floats(IrisRows.SelectMany(r => r).Select(v => (float)v)), version: 2), "x.npy", iris, none);
        Add("idx-images", images, "t10k-images-idx3-ubyte", mnist, new() { ["t10k-labels-idx1-ubyte"] = labels });
        Add("idx-images.gz", DataFileWriter.Gzip(images), "t10k-images-idx3-ubyte.gz", mnist, new() { ["t10k-labels-idx1-ubyte.gz"] = DataFileWriter.Gzip(labels) });
        Add("idx-labels", labels, "t10k-labels-idx1-ubyte", mnist, new() { ["t10k-images-idx3-ubyte"] = images }, load: "t10k-images-idx3-ubyte");
        Add("test-data-set", input0, "test_data_set_0/input_0.pb", mnist, new() { ["test_data_set_1/input_0.pb"] = input1 }, load: ".");
        Add("input-pb", input1, "input_0.pb", mnist, none);

        Seeds = layouts.Values.Select(l => l.Seed).ToList();
    }

    public string Name => "data";

    public IReadOnlyList<FuzzSeed> Seeds { get; }

    public IReadOnlyList<IMutator> Mutators { get; } =
        new IMutator[] { new ContainerMutator(), new ContainerMutator(), new DataHeaderMutator(), new DataHeaderMutator() }
            .Concat(ByteMutator.All)
            .Concat(ProtobufMutator.All) // for the test_data_set tensors
            .ToList();

    public IReadOnlySet<string> DocumentedCodes => Codes;

    public void Run(FuzzSeed seed, byte[] input, string folder)
    {
        var layout = layouts[seed.Name];
        Write(folder, seed.FileName, input);
        foreach (var (name, bytes) in layout.Companions)
        {
            Write(folder, name, bytes);
        }

        var data = DatasetLoader.Load(Path.GetFullPath(Path.Combine(folder, layout.LoadPath)));
        InvariantViolation.Check(data.Count > 0 && data.SampleSize > 0 && data.X.Length == (long)data.Count * data.SampleSize,
            $"the data set holds {data.X.Length} values for {data.Count} samples of shape [{string.Join(",", data.SampleShape)}]");
        InvariantViolation.Check(data.Labels is null || data.Labels.Length == data.Count,
            $"the data set has {data.Labels?.Length} labels for {data.Count} samples");

        data.CheckMatches(layout.Model);
        var conformed = data.ConformTo(layout.Model);
        _ = conformed.Take(1);
        _ = conformed.Split(0.5, seed: 7);
    }

    private void Add(string name, byte[] bytes, string fileName, OnnxModel model, Dictionary<string, byte[]> companions, string? load = null) =>
        layouts[name] = new DataSeed(new FuzzSeed(name, bytes, fileName), companions, load ?? fileName, model);

    private static void Write(string folder, string relative, byte[] bytes)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());

    private sealed record DataSeed(FuzzSeed Seed, IReadOnlyDictionary<string, byte[]> Companions, string LoadPath, OnnxModel Model);
}
