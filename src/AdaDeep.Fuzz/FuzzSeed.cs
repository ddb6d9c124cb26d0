namespace AdaDeep.Fuzz;

/// <summary>
/// One valid input the mutations start from: its bytes, and the file name the target writes a mutant under
/// (the loaders choose their reader from the name, e.g. <c>.npz</c> or <c>t10k-images-idx3-ubyte</c>).
/// </summary>
public sealed record FuzzSeed(string Name, byte[] Bytes, string FileName);
