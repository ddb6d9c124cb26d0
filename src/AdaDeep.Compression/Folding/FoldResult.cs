using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Folding;

/// <summary>What <see cref="ConstantFolder.Fold"/> did: the model (the input itself when nothing folded), how many values became initializers and how many nodes went.</summary>
public sealed record FoldResult(OnnxModel Model, int FoldedValues, int RemovedNodes)
{
    public bool Changed => FoldedValues > 0;
}
