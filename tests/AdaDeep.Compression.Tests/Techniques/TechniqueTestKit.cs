using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>Shared facts the technique tests check: parameters from initializers, runs in ONNX Runtime.</summary>
internal static class TechniqueTestKit
{
    public static readonly int[] LeNetShape = { 1, 1, 12, 12 };
    public static readonly int[] MlpShape = { 2, 4 };
    public static readonly int[] MnistShape = { 1, 1, 28, 28 };

    public static string MnistPath => Path.Combine(RepoRoot(), "models", "mnist-8", "model.onnx");

    public static OnnxModel Mnist() => OnnxModel.Load(MnistPath);

    public static float[] Input(int[] shape, int seed = 7) =>
        TinyModels.Weights(shape.Aggregate(1, (a, b) => a * b), seed, 1f);

    /// <summary>Weight elements (float and int8 initializers), what a dense file stores.</summary>
    public static long Parameters(OnnxModel model) =>
        model.Graph.Initializer.Where(t => t.DataType is TensorData.Float or TensorData.Int8).Sum(TensorData.ElementCount);

    /// <summary>Non-zero weight elements, what a packed file stores.</summary>
    public static long NonZeroParameters(OnnxModel model) =>
        model.Graph.Initializer.Where(t => t.DataType is TensorData.Float or TensorData.Int8)
            .Sum(t => (long)TensorData.ToFloats(t).Count(v => v != 0));

    public static long FileBytes(OnnxModel model) => model.ToBytes().LongLength;

    /// <summary>Runs the model in ORT and checks it still produces the original output shape.</summary>
    public static float[] RunChecked(OnnxModel original, OnnxModel rewritten, int[] shape)
    {
        var input = Input(shape);
        var expected = OrtRunner.OutputShape(original, input, shape);
        Assert.Equal(expected, OrtRunner.OutputShape(rewritten, input, shape));
        return OrtRunner.Run(rewritten, input, shape);
    }

    public static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
    }

    /// <summary>Asserts two models give the same outputs on <paramref name="input"/> within <paramref name="tolerance"/>, saying by how much they differ when not.</summary>
    public static void AssertSameOutputs(OnnxModel expected, OnnxModel actual, float[] input, int[] shape, double tolerance, string? what = null)
    {
        var difference = MaxAbsDiff(OrtRunner.Run(expected, input, shape), OrtRunner.Run(actual, input, shape));
        Assert.True(difference < tolerance, $"{what}{(what is null ? "" : ": ")}outputs differ by {difference:G3} (tolerance {tolerance:G3})");
    }

    public static double RelativeError(float[] actual, float[] expected)
    {
        var num = actual.Zip(expected, (x, y) => ((double)x - y) * ((double)x - y)).Sum();
        var den = expected.Sum(y => (double)y * y);
        return Math.Sqrt(num / Math.Max(den, 1e-30));
    }

    public static NodeProto Node(OnnxModel model, string name) => model.Graph.Node.Single(n => n.Name == name);

    public static int Count(OnnxModel model, string opType) => model.Graph.Node.Count(n => n.OpType == opType);

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AdaDeep.Build.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Small purpose-built models for exactness checks.</summary>
internal static class TestModels
{
    /// <summary>x[1, cin, size, size] → Conv(cin → cout, k×k) = y, with the given weights and geometry.</summary>
    public static OnnxModel SingleConv(int cin, int cout, int k, float[]? weight = null, int stride = 1, int pad = -1,
        string? autoPad = null, int size = 10, bool bias = true)
    {
        var b = new GraphBuilder("conv").Input("x", 1, cin, size, size);
        var w = b.Weight("w", new long[] { cout, cin, k, k }, weight ?? TinyModels.Weights(cout * cin * k * k, 21));
        var inputs = new List<string> { "x", w };
        if (bias)
        {
            inputs.Add(b.Weight("b", new long[] { cout }, TinyModels.Weights(cout, 22)));
        }

        var p = pad < 0 ? k / 2 : pad;
        b.Node("Conv", inputs.ToArray(), output: "y", configure: n =>
        {
            n.SetInts("kernel_shape", new long[] { k, k }).SetInts("strides", new long[] { stride, stride });
            if (autoPad is null)
            {
                n.SetInts("pads", new long[] { p, p, p, p });
            }
            else
            {
                n.SetString("auto_pad", autoPad);
            }
        }, name: "conv");
        var model = b.ToModel();
        model.Graph.Output.Add(GraphBuilder.TensorInfo("y", TensorData.Float, new long?[] { 1, cout, null, null }));
        return model;
    }

    public static int[] SingleConvShape(int cin, int size = 10) => new[] { 1, cin, size, size };
}
