using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>When a storage budget binds, every layer the search leaves in float gets int8 weights (the search chooses
/// the structure on top); without one, only the layers the search chose Q8W for do.</summary>
public class QuantizeRemainingTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public QuantizeRemainingTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void BindingStorageBudget_GivesTheUnquantisedLayersInt8Weights()
    {
        var folder = _fixture.NewFolder("q8w-rest");
        var fileMB = new FileInfo(_fixture.ModelPath).Length / 1024.0 / 1024.0;
        var request = _fixture.Request(folder, optimizer: "single:P1", useCache: false) with { StorageBudgetMB = fileMB / 2 };

        var result = new CompressPipeline().Run(request);

        Assert.Equal("P1+Q8W", result.Techniques);
        var shipped = OnnxModel.Load(request.OutputPath);
        Assert.Contains(shipped.Graph.Initializer, t => t.DataType == TensorData.Int8);
        Assert.True(result.SizeBytes < new FileInfo(_fixture.ModelPath).Length / 2.0, $"{result.SizeBytes} bytes");
    }

    [Fact]
    public void WithoutAStorageBudget_OnlyTheSearchsChoiceShips()
    {
        var folder = _fixture.NewFolder("q8w-none");
        var request = _fixture.Request(folder, optimizer: "single:P1", useCache: false);

        var result = new CompressPipeline().Run(request);

        Assert.Equal("P1", result.Techniques);
        Assert.DoesNotContain(OnnxModel.Load(request.OutputPath).Graph.Initializer, t => t.DataType == TensorData.Int8);
    }

    [Theory]
    [InlineData(0.5, null, true)]      // binding budget, every technique allowed
    [InlineData(2.0, null, false)]     // the input already fits
    [InlineData(0.5, "W3,P1", false)]  // the user's space has no int8
    public void QuantizesRemaining_OnlyWhenTheBudgetBindsAndInt8IsAllowed(double budgetOverFile, string? techniques, bool expected)
    {
        const long file = 1 << 20;
        var request = new CompressRequest { Device = "host", OutputPath = "out.onnx", StorageBudgetMB = budgetOverFile };
        Assert.Equal(expected, CompressPipeline.QuantizesRemaining(request, techniques?.Split(','), file));
    }

    [Fact]
    public void SharedWeights_StillQuantiseWhatCodebooksDoNotCover()
    {
        // Codebooks cover Conv and fc layers; the environment gives int8 to the recurrent layers only (see its tests).
        var request = new CompressRequest { Device = "host", OutputPath = "out.onnx", StorageBudgetMB = 0.5, WeightSharing = new(5, 8) };
        Assert.True(CompressPipeline.QuantizesRemaining(request, null, 1 << 20));
    }
}
