using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>
/// The speed gate refuses, before shipping, a model slower than its original in ONNX Runtime on the host. The
/// latencies are injected (a meter that reads them off the model), so the outcome is deterministic.
/// </summary>
public class SpeedGateTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public SpeedGateTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void SlowerQuantisedModel_IsRefused_AndShipsWithoutTheQuantisation()
    {
        var folder = _fixture.NewFolder("gate-q8w");
        var request = HostRequest(folder, "single:Q8W");
        var meter = new FixedMeter(m => m.Graph.Initializer.Any(t => t.DataType == TensorData.Int8) ? 2.0 : 1.0);

        var result = Run(request, meter);

        Assert.Equal(SpeedGate.DroppedDeferred, result.SpeedGate);
        Assert.Contains(result.Warnings, w => w.Contains(ErrorCodes.SpeedGateDroppedTechniques) && w.Contains("Q8W"));
        Assert.Equal("none", result.Techniques);
        Assert.DoesNotContain(OnnxModel.Load(request.OutputPath).Graph.Initializer, t => t.DataType == TensorData.Int8);
        Assert.Equal(1.0, result.HostOrtLatencyMs);
        Assert.True(meter.Calls >= 4, "the gate measured before shipping");
    }

    [Fact]
    public void SlowerActivationQuantisation_IsDroppedFirst()
    {
        // Q8's QuantizeLinear/DequantizeLinear pairs are what the meter finds slow; the gate's first fallback drops Q8 alone.
        var folder = _fixture.NewFolder("gate-q8");
        var request = HostRequest(folder, "single:Q8");
        var meter = new FixedMeter(m => m.Graph.Node.Any(n => n.OpType == "QuantizeLinear") ? 2.0 : 1.0);

        var result = Run(request, meter);

        Assert.Equal(SpeedGate.DroppedDeferred, result.SpeedGate);
        Assert.Contains(result.Warnings, w => w.Contains(ErrorCodes.SpeedGateDroppedTechniques) && w.Contains("without Q8 ("));
        Assert.DoesNotContain(OnnxModel.Load(request.OutputPath).Graph.Node, n => n.OpType == "QuantizeLinear");
        Assert.Equal(1.0, result.HostOrtLatencyMs);
    }

    [Fact]
    public void DroppingQ8_KeepsTheInt8WeightsOfABindingStorageBudget()
    {
        // A storage budget at half the file turns int8-for-the-rest on: dropping Q8 alone must keep those int8 weights
        // (decoded by Cast·scale), where dropping every deferred technique would ship float weights.
        var folder = _fixture.NewFolder("gate-q8-int8");
        var request = HostRequest(folder, "single:Q8") with { StorageBudgetMB = new FileInfo(_fixture.ModelPath).Length / 1024.0 / 1024.0 / 2 };
        var meter = new FixedMeter(m => m.Graph.Node.Any(n => n.OpType == "QuantizeLinear") ? 2.0 : 1.0);

        var result = Run(request, meter);

        var shipped = OnnxModel.Load(request.OutputPath);
        Assert.Equal(SpeedGate.DroppedDeferred, result.SpeedGate);
        Assert.DoesNotContain(shipped.Graph.Node, n => n.OpType == "QuantizeLinear");
        Assert.Contains(shipped.Graph.Initializer, t => t.DataType == TensorData.Int8);
    }

    [Fact]
    public void EveryVariantSlower_ShipsTheOriginalModel()
    {
        var folder = _fixture.NewFolder("gate-w3");
        var request = HostRequest(folder, "single:W3");
        var originalHash = OnnxModel.Load(_fixture.ModelPath).Sha256();
        var meter = new FixedMeter(m => m.Sha256() == originalHash ? 1.0 : 1.5);

        var result = Run(request, meter);

        Assert.Equal(SpeedGate.ShippedOriginal, result.SpeedGate);
        Assert.Contains(result.Warnings, w => w.Contains(ErrorCodes.SpeedGateShippedOriginal));
        Assert.Equal("none", result.Techniques);
        Assert.Equal(originalHash, OnnxModel.Load(request.OutputPath).Sha256());
        Assert.Equal(result.OriginalHostOrtLatencyMs, result.HostOrtLatencyMs);
    }

    [Fact]
    public void FasterModel_Passes_AndTheReportShowsTheHostSpeedUp()
    {
        var folder = _fixture.NewFolder("gate-pass");
        var request = HostRequest(folder, "single:W3");
        var originalHash = OnnxModel.Load(_fixture.ModelPath).Sha256();
        var meter = new FixedMeter(m => m.Sha256() == originalHash ? 2.0 : 1.0);

        var result = Run(request, meter);

        Assert.Equal(SpeedGate.Passed, result.SpeedGate);
        Assert.Equal("W3", result.Techniques);
        Assert.Equal(2.0, result.OriginalHostOrtLatencyMs);
        Assert.Equal(1.0, result.HostOrtLatencyMs);
        Assert.Contains("| ONNX Runtime latency on this host (ms) | 2 | 1 | 2× faster |", File.ReadAllText(Path.Combine(folder, "out", "lenet.report.md")));
    }

    [Fact]
    public void AFirstLookSlowedByALoadSpike_IsConfirmedByMoreRounds_AndPasses()
    {
        // The same speed for both, but the candidate's first two sessions land on a load spike (1.3 ms).
        var original = OnnxModel.Load(_fixture.ModelPath);
        var candidate = TechniqueFor(original);
        var candidateCalls = 0;
        var meter = new FixedMeter(m => ReferenceEquals(m, candidate) && ++candidateCalls <= 2 ? 1.3 : 1.0);

        var (originalMs, candidateMs) = SpeedGate.Measure(meter, original, candidate);

        Assert.False(SpeedGate.IsSlower(originalMs, candidateMs), $"{originalMs} → {candidateMs}");
        Assert.Equal(4 + (2 * SpeedGate.ConfirmRounds), meter.Calls);
    }

    [Fact]
    public void ACandidateSlowerInEveryRound_StaysSlower_AndAFastOneIsNotRemeasured()
    {
        var original = OnnxModel.Load(_fixture.ModelPath);
        var candidate = TechniqueFor(original);
        var slow = new FixedMeter(m => ReferenceEquals(m, candidate) ? 1.2 : 1.0);
        var (a, b) = SpeedGate.Measure(slow, original, candidate);
        Assert.True(SpeedGate.IsSlower(a, b));

        var fast = new FixedMeter(m => ReferenceEquals(m, candidate) ? 0.9 : 1.0);
        SpeedGate.Measure(fast, original, candidate);
        Assert.Equal(4, fast.Calls);
    }

    private static OnnxModel TechniqueFor(OnnxModel original) =>
        AdaDeep.Compression.Techniques.WeightQuantizationTechnique.ApplyToAll(original, AdaDeep.Compression.Techniques.TechniqueOptions.Default);

    [Theory]
    [InlineData(1.0, 1.03, false)]
    [InlineData(1.0, 1.031, true)]
    [InlineData(1.0, 0.5, false)]
    public void IsSlower_AllowsOnlyTheMeasurementTolerance(double original, double candidate, bool slower) =>
        Assert.Equal(slower, SpeedGate.IsSlower(original, candidate));

    // W3 at 80 % leaves the tiny LeNet far below 99 % agreement: a wide accuracy allowance lets the validation gate keep
    // it, so these tests reach the speed gate with the technique they name.
    private CompressRequest HostRequest(string folder, string optimizer) =>
        _fixture.Request(folder, optimizer: optimizer, useCache: false) with
        {
            Device = "host", OutputPath = Path.Combine(folder, "out", "lenet.host.onnx"), MaxAccuracyDrop = 0.95,
        };

    private static CompressResult Run(CompressRequest request, ILatencyMeter meter) =>
        new CompressPipeline(null, new PipelineHooks { LatencyMeter = meter }).Run(request);

    private sealed class FixedMeter(Func<OnnxModel, double> latency) : ILatencyMeter
    {
        public int Calls { get; private set; }

        public double MeasureMs(OnnxModel model)
        {
            Calls++;
            return latency(model);
        }
    }
}
