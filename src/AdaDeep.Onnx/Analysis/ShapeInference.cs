using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Analysis;

/// <summary>
/// Static shape inference over an ONNX model: the shape of every value the supported operators let us
/// compute (see docs/onnx.md for the list). Symbolic or unknown input dimensions become <c>batchSize</c>.
/// Operators it does not know pass through: their outputs get a shape only from value_info or the
/// graph outputs. If/Loop/Scan bodies are walked too, their values land in the same dictionary
/// (ONNX value names are unique across nested graphs).
/// </summary>
public static class ShapeInference
{
    public static IReadOnlyDictionary<string, long[]> Infer(OnnxModel model, int batchSize = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be at least 1");
        }

        var inferrer = new ShapeInferrer(batchSize, model.OpsetVersion, model.SourcePath);
        inferrer.InferGraph(model.Graph, seedInputs: true);
        return inferrer.Shapes;
    }
}
