using AdaDeep.Compression.Data;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>What ships: the validation gate's fallbacks, lossy techniques without data, budgets on the file and on cache hits.</summary>
public class ShippingGateTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public ShippingGateTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void LossyRewriteThatCannotBeFineTuned_AndFailsTheGate_IsNotShipped()
    {
        // W3 prunes 80 % of each layer's weights. Every weight reaches the output only through Softsign, which the
        // TorchSharp bridge runs frozen in ONNX Runtime, so nothing can be fine-tuned; on these unlabelled real inputs
        // the untrained W3 disagrees with the original on far more than 1 % of them.
        var folder = _fixture.NewFolder("untrainable");
        var modelPath = Path.Combine(folder, "softsign.onnx");
        SoftsignMlp().Save(modelPath);
        var dataPath = Path.Combine(folder, "x.npz");
        DataFileWriter.SaveNpz(dataPath, new Dictionary<string, byte[]>
        {
            ["x"] = DataFileWriter.Npy("<f4", new[] { 200, 16 }, DataFileWriter.Floats(TinyModels.Weights(200 * 16, 21, 2f))),
        });
        var request = _fixture.Request(folder, useCache: false) with { ModelPath = modelPath, DatasetPath = dataPath, MaxAccuracyDrop = null };

        var result = new CompressPipeline().Run(request);

        Assert.Contains(result.Warnings, w => w.Contains(ErrorCodes.TechniqueNotApplicable) && w.Contains("fine-tun"));
        Assert.Equal("none", result.Techniques);
        var fallback = Assert.Single(result.Warnings, w => w.Contains(ErrorCodes.ValidationFallback));
        Assert.Contains("W3 failed the validation gate FAILED", fallback);
        Assert.StartsWith("validation gate passed", result.ValidationHeadline);
        Assert.True(result.ValidationRealData);
        Assert.Contains("top-1 agreement 100.00 %", Assert.Single(result.ValidationOutputs));
        Assert.Equal(1.0, result.Accuracy);
    }

    [Fact]
    public void LossyTechnique_WithoutRealData_NeedsTheOptIn()
    {
        var folder = _fixture.NewFolder("nodata");
        var request = _fixture.Request(folder, useCache: false) with { DatasetPath = null, MaxAccuracyDrop = null };

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.LossyNeedsData, e.Code);
        Assert.False(File.Exists(request.OutputPath));
    }

    [Fact]
    public void DegenerateSyntheticCheck_IsReportedAsSuch()
    {
        // The tiny LeNet's random weights give one class for every U[0,1) input: agreement would read 100 %.
        var folder = _fixture.NewFolder("degenerate");
        var request = _fixture.Request(folder, optimizer: "single:Q8W", useCache: false) with { DatasetPath = null, MaxAccuracyDrop = null };

        var result = new CompressPipeline().Run(request);

        Assert.False(result.ValidationMeaningful);
        Assert.False(result.ValidationRealData);
        Assert.Contains(result.Warnings, w => w.Contains(ErrorCodes.ValidationMeaningless) && w.Contains("MEANINGLESS"));
        Assert.Contains("MEANINGLESS", File.ReadAllText(Path.Combine(folder, "out", "lenet.report.md")));
    }

    [Fact]
    public void StorageBudget_BetweenSpAndTheFileSize_Fails()
    {
        var folder = _fixture.NewFolder("storage");
        var free = new CompressPipeline().Run(_fixture.Request(folder, useCache: false));
        Assert.True(free.StorageMB < free.FileStorageMB, $"S_p {free.StorageMB} MiB, file {free.FileStorageMB} MiB");
        var budget = (free.StorageMB + free.FileStorageMB) / 2;
        // W3 alone: with Q8W allowed, a binding storage budget would give every other layer int8 weights (and meet it).
        var request = _fixture.Request(_fixture.NewFolder("storage-budget"), useCache: false) with { StorageBudgetMB = budget, FailIfBudgetsNotMet = true, Techniques = new[] { "W3" } };

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.BudgetNotMet, e.Code);
        Assert.Contains("file that ships", e.Message);
        Assert.False(File.Exists(request.OutputPath));
    }

    [Fact]
    public void CacheHit_WithMissedBudgets_FailsUnderTheFlag_AndWritesNothing()
    {
        var first = _fixture.NewFolder("hit-first");
        var cache = Path.Combine(first, "cache");
        var missed = new CompressPipeline().Run(_fixture.Request(first, cacheDir: cache) with { StorageBudgetMB = 1e-6 });
        Assert.False(missed.BudgetsMet);
        var second = _fixture.NewFolder("hit-second");
        var request = _fixture.Request(second, cacheDir: cache) with { StorageBudgetMB = 1e-6, FailIfBudgetsNotMet = true };

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.BudgetNotMet, e.Code);
        Assert.Contains("cached result", e.Message);
        Assert.False(File.Exists(request.OutputPath));
        Assert.False(File.Exists(request.ResultJsonPath));
    }

    /// <summary>x[N,16] → Gemm(16→32) → Relu → Gemm(32→10) → Softsign = y[N,10]: the output crosses an op the fine-tuning bridge lacks.</summary>
    private static OnnxModel SoftsignMlp()
    {
        var b = new GraphBuilder("softsign").Input("x", null, 16).Output("y", null, 10);
        var h = b.Node("Gemm", new[] { "x", b.Weight("fc1.weight", new long[] { 32, 16 }, TinyModels.Weights(512, 31)), b.Weight("fc1.bias", new long[] { 32 }, TinyModels.Weights(32, 32)) },
            configure: n => n.SetInt("transB", 1), name: "fc1");
        var r = b.Node("Relu", new[] { h }, name: "relu1");
        var z = b.Node("Gemm", new[] { r, b.Weight("fc2.weight", new long[] { 10, 32 }, TinyModels.Weights(320, 33)), b.Weight("fc2.bias", new long[] { 10 }, TinyModels.Weights(10, 34)) },
            configure: n => n.SetInt("transB", 1), name: "fc2");
        b.Node("Softsign", new[] { z }, output: "y", name: "softsign");
        return b.ToModel();
    }
}
