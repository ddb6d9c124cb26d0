using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Fuzz.Targets;

/// <summary>
/// ONNX models: OnnxModel.Load (parse + GraphValidator), then what the engine does with a loaded model — GraphIndex,
/// ShapeInference, ModelAnalyzer, the cost model on a device, and a save/load round trip. Seeds: models/*/model.onnx.
/// </summary>
public sealed class OnnxTarget : IFuzzTarget
{
    public static readonly IReadOnlySet<string> Codes = new HashSet<string>
    {
        ErrorCodes.ModelNotOnnx, ErrorCodes.ModelTruncated, ErrorCodes.ModelEmpty, ErrorCodes.ModelMissingInitializer,
        ErrorCodes.ModelInvalidShape, ErrorCodes.ModelNoGraph, ErrorCodes.ModelExternalData, ErrorCodes.ModelUnsupportedTensor,
        ErrorCodes.ModelRuntimeRefused,
    };

    private readonly DeviceProfile device = DeviceCatalog.Default.Resolve("sony-sw3");

    public OnnxTarget(string repoRoot)
    {
        Seeds = RepoFiles.Models(repoRoot)
            .Select(path => new FuzzSeed(Path.GetFileName(Path.GetDirectoryName(path)!)!, File.ReadAllBytes(path), "model.onnx"))
            .ToList();
    }

    public string Name => "onnx";

    public IReadOnlyList<FuzzSeed> Seeds { get; }

    /// <summary>ONNX-aware mutations most often (they reach shape inference and analysis), then protobuf-aware and blind ones.</summary>
    public IReadOnlyList<IMutator> Mutators { get; } =
        OnnxGraphMutator.All.Concat(OnnxGraphMutator.All).Concat(ProtobufMutator.All).Concat(ByteMutator.All).ToList();

    public IReadOnlySet<string> DocumentedCodes => Codes;

    public void Run(FuzzSeed seed, byte[] input, string folder)
    {
        var path = Path.Combine(folder, seed.FileName);
        File.WriteAllBytes(path, input);
        var model = OnnxModel.Load(path);
        _ = new GraphIndex(model.Graph);
        _ = ShapeInference.Infer(model, batchSize: 3);
        var analysis = ModelAnalyzer.Analyze(model);
        foreach (var layer in analysis.Layers)
        {
            InvariantViolation.Check(layer.Macs >= 0 && layer.Parameters >= 0 && layer.ParameterBytes >= 0 && layer.Activations >= 0,
                $"layer '{layer.NodeName}' ({layer.OpType}) has a negative count: MACs {layer.Macs}, parameters {layer.Parameters}, bytes {layer.ParameterBytes}, activations {layer.Activations}");
        }

        var cost = CostModel.Estimate(analysis, device);
        InvariantViolation.Check(double.IsFinite(cost.LatencyMs) && cost.LatencyMs >= 0 && double.IsFinite(cost.EnergyMJ) && cost.EnergyMJ >= 0,
            $"the cost estimate is not a finite non-negative figure: latency {cost.LatencyMs} ms, energy {cost.EnergyMJ} mJ");

        // What the engine writes must load again, unchanged.
        var saved = Path.Combine(folder, "saved.onnx");
        model.Save(saved);
        var again = OnnxModel.Load(saved);
        InvariantViolation.Check(again.Sha256() == model.Sha256(), "the saved model does not load back to the same bytes");
    }
}
