using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Techniques.Packing;

/// <summary>One weight stored in packed form: its element count, non-zeros, bytes dense vs packed (data only), and the form.</summary>
public sealed record PackedTensor(string Name, int DataType, long Elements, long NonZeros, long DenseBytes, long PackedBytes)
{
    public WeightPacker.PackedForm Form { get; init; } = WeightPacker.PackedForm.Mask;
}

/// <summary>
/// What <see cref="WeightPacker"/> did: the model to ship (the input itself when packing would not help),
/// the tensors it packed, the file sizes, and why nothing was packed when that is the case.
/// </summary>
public sealed record PackResult(OnnxModel Model, IReadOnlyList<PackedTensor> Packed, long BytesBefore, long BytesAfter, string? NotPackedReason)
{
    public bool Changed => Packed.Count > 0;
}
