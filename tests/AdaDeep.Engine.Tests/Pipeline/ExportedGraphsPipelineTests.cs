using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using Google.Protobuf;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>
/// Issue 13.3/13.4 end to end: graphs as exporters write them go through `compress`: computed (ConstantOfShape,
/// Constant) weights are folded and compressed, and an If node survives intact with the output validated in ORT.
/// </summary>
public sealed class ExportedGraphsPipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("adadeep-exported-").FullName;

    private CompressRequest Request(OnnxModel model, string name)
    {
        var path = Path.Combine(_root, name + ".onnx");
        model.Save(path);
        return new CompressRequest
        {
            ModelPath = path,
            Device = "sony-sw3",
            Optimizer = "single:W3",
            Seed = 3,
            MaxAccuracyDrop = 1,
            FineTuneEpochs = 1,
            OutputPath = Path.Combine(_root, "out", name + ".sony-sw3.onnx"),
            UseCache = false,
        };
    }

    [Fact]
    public void ComputedWeights_AreFoldedAndCompressed()
    {
        var request = Request(ExportLikeModels.ComputedWeights(), "computed");

        var result = new CompressPipeline().Run(request);

        var written = OnnxModel.Load(request.OutputPath);
        Assert.Contains("W3", result.Techniques);
        Assert.DoesNotContain(written.Graph.Node, n => n.OpType == "ConstantOfShape");
        Assert.Equal(new[] { 1, 3 }, OrtRunner.OutputShape(written, TinyModels.Weights(4, 2), new[] { 1, 4 }));
    }

    [Fact]
    public void IfNode_IsKeptIntact_AndTheOutputRunsInOrt()
    {
        var model = IfModels.BranchReadingAComputedWeight();
        var request = Request(model, "branch");

        new CompressPipeline().Run(request);

        var written = OnnxModel.Load(request.OutputPath);
        var before = model.Graph.Node.Single(n => n.OpType == "If");
        var after = written.Graph.Node.Single(n => n.OpType == "If");
        Assert.Equal(before.ToByteArray(), after.ToByteArray());
        foreach (var sign in new[] { 1f, -1f })
        {
            var x = TinyModels.Weights(4, 5, 1f).Select(v => Math.Abs(v) * sign).ToArray();
            Assert.Equal(new[] { 1, 4 }, OrtRunner.OutputShape(written, x, new[] { 1, 4 }));
        }

        Assert.Equal(model.Graph.Output.Select(o => o.Name), written.Graph.Output.Select(o => o.Name));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
