using AdaDeep.Compression.Data;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>
/// A tiny LeNet-like model on disk with 200 labelled samples (labels are the model's own top-1, so the original is
/// 100 % accurate and every loss is the compression's), and private output and cache folders.
/// </summary>
public sealed class PipelineFixture : IDisposable
{
    public PipelineFixture()
    {
        Root = Directory.CreateTempSubdirectory("adadeep-pipeline-").FullName;
        ModelPath = Path.Combine(Root, "lenet.onnx");
        var model = TinyModels.LeNetLike(batch: 1);
        model.Save(ModelPath);

        const int count = 200;
        var x = TinyModels.Weights(count * 144, seed: 77, scale: 1f);
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            var y = OrtRunner.Run(model, x.AsSpan(i * 144, 144).ToArray(), new[] { 1, 1, 12, 12 });
            labels[i] = Array.IndexOf(y, y.Max());
        }

        DatasetPath = Path.Combine(Root, "data.npz");
        DataFileWriter.SaveNpz(DatasetPath, new Dictionary<string, byte[]>
        {
            ["x"] = DataFileWriter.Npy("<f4", new[] { count, 1, 12, 12 }, DataFileWriter.Floats(x)),
            ["y"] = DataFileWriter.Npy("<i8", new[] { count }, DataFileWriter.Int64s(labels)),
        });
    }

    public string Root { get; }

    public string ModelPath { get; }

    public string DatasetPath { get; }

    /// <summary>A request on the fixture's model and data (single:W3 takes a second or two), writing under <paramref name="folder"/>.</summary>
    public CompressRequest Request(string folder, string optimizer = "single:W3", bool useCache = true, string? cacheDir = null) => new()
    {
        ModelPath = ModelPath,
        Device = "sony-sw3",
        DatasetPath = DatasetPath,
        Optimizer = optimizer,
        Seed = 3,
        MaxAccuracyDrop = 0.5,
        FineTuneEpochs = 1,
        OutputPath = Path.Combine(folder, "out", "lenet.sony-sw3.onnx"),
        ReportPath = Path.Combine(folder, "out", "lenet.report"),
        ResultJsonPath = Path.Combine(folder, "out", "result.json"),
        CacheDir = cacheDir ?? Path.Combine(folder, "cache"),
        UseCache = useCache,
    };

    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
