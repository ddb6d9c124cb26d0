using TorchSharp.Modules;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// One ONNX weight that the bridge trains: the graph value it comes from (an initializer, or the output of a
/// Constant node), its ONNX dimensions, and the TorchSharp parameter holding its current values.
/// </summary>
public sealed record TrainableWeight(string ValueName, long[] Dims, Parameter Parameter, bool FromConstantNode);
