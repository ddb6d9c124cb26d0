using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Search.Core;

/// <summary>What the agent sees of the layer it is deciding: its kind and its size.</summary>
public sealed record LayerFeatures(LayerKind Kind, long Parameters, long Macs, long InChannels, long OutChannels);
