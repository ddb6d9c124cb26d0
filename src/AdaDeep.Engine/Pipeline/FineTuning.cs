using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>Fine-tuning of the chosen candidate by distillation from the original model (TorchSharp).</summary>
public static class FineTuning
{
    public sealed record Outcome(OnnxModel Model, double Seconds);

    public static Outcome Run(OnnxModel teacher, OnnxModel student, Dataset train, Dataset validation, CompressRequest request,
        CancellationToken ct, Action<double> progress, List<string> warnings)
    {
        // Wired to AdaDeep.Compression.FineTuning.Distiller once it lands on main.
        throw new NotSupportedException("fine-tuning is not wired yet");
    }
}
