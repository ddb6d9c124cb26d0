namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>
/// What one executed kernel does, in the quantities its cost is linear in: the kernel kind (see
/// <see cref="KernelClassifier"/>), its multiply-accumulates, the activation bytes it reads and writes (4 per element),
/// the weight bytes it reads as stored, and for a Conv the elements of its im2col lowering (the patch matrix that ONNX
/// Runtime's MLAS builds for a k×k or strided convolution before its GEMM; 0 for a 1×1 stride-1 Conv, which needs none).
/// </summary>
public readonly record struct KernelWork(string Kind, double Macs, double ActivationBytes, double WeightBytes, double LoweredElements);
