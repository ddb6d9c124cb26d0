using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace AdaDeep.Fuzz;

/// <summary>
/// Mutations of the headers of data files, where a loader decides how much to allocate and read: the shape, dtype and
/// order of a .npy header (rewritten with a consistent header length, or a wrong one), and the element type, rank and
/// dimensions of an IDX file. Anything else gets a byte mutation.
/// </summary>
public sealed partial class DataHeaderMutator : IMutator
{
    private static readonly byte[] NpyMagic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    private static readonly string[] Dims =
    {
        "0", "1", "2", "3", "4", "28", "784", "-1", "2147483647", "2147483648", "4294967296", "99999999999999999999", "65536", "1L", "",
    };

    private static readonly string[] Descrs = { "<f4", "<f8", "|u1", "<i8", "<i4", ">f4", "<f2", "|b1", "O", "<U8", "", "<f4'", "|u1|u1" };

    private static readonly int[] IdxDims = { 0, 1, 2, 3, 27, 28, 29, 784, -1, int.MaxValue, int.MinValue, 0x10000, 0x01000000 };

    public string Name => "data.Header";

    public byte[] Mutate(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus)
    {
        if (input.Length >= 10 && input.AsSpan(0, 6).SequenceEqual(NpyMagic))
        {
            return MutateNpy(input, random);
        }

        if (input.Length >= 4 && input[0] == 0 && input[1] == 0)
        {
            return MutateIdx(input, random);
        }

        return ByteMutator.All[random.Next(ByteMutator.All.Count)].Mutate(input, random, corpus);
    }

    private static byte[] MutateNpy(byte[] input, Random random)
    {
        var version = input[6];
        var prefix = version == 1 ? 10 : 12;
        var headerLength = version == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(input.AsSpan(8))
            : input.Length >= 12 ? (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan(8))) : 0;
        if (prefix + headerLength > input.Length)
        {
            return new ByteMutator(ByteMutation.InterestingValue).Mutate(input, random, Array.Empty<FuzzSeed>());
        }

        var header = Encoding.Latin1.GetString(input, prefix, headerLength);
        var data = input.AsSpan(prefix + headerLength).ToArray();
        switch (random.Next(6))
        {
            case 0:
            case 1:
                var rank = random.Next(5);
                var dims = Enumerable.Range(0, rank).Select(_ => Dims[random.Next(Dims.Length)]);
                header = ShapePattern().Replace(header, $"'shape': ({string.Join(", ", dims)}{(rank == 1 ? "," : "")})", 1);
                break;
            case 2:
                header = DescrPattern().Replace(header, $"'descr': '{Descrs[random.Next(Descrs.Length)]}'", 1);
                break;
            case 3:
                header = header.Replace("False", random.Next(2) == 0 ? "True" : "Maybe");
                break;
            case 4:
                // A header length that disagrees with the header: short, long, or absurd.
                var bad = input.ToArray();
                var value = new[] { 0u, 1u, (uint)headerLength - 1, (uint)headerLength + 1, 0xFFFFu, 0x7FFF_FFFFu, 0xFFFF_FFFFu }[random.Next(7)];
                if (version == 1)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bad.AsSpan(8), (ushort)value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(8), value);
                }

                return bad;
            default:
                // Another format version, with the length field it needs.
                version = (byte)new[] { 0, 1, 2, 3, 4, 255 }[random.Next(6)];
                break;
        }

        var output = new MemoryStream();
        output.Write(NpyMagic);
        output.WriteByte(version);
        output.WriteByte(0);
        var headerBytes = Encoding.Latin1.GetBytes(header);
        if (version == 1)
        {
            output.Write(BitConverter.GetBytes((ushort)headerBytes.Length));
        }
        else
        {
            output.Write(BitConverter.GetBytes((uint)headerBytes.Length));
        }

        output.Write(headerBytes);
        output.Write(data);
        return output.ToArray();
    }

    private static byte[] MutateIdx(byte[] input, Random random)
    {
        var bytes = input.ToArray();
        switch (random.Next(4))
        {
            case 0:
                bytes[2] = new byte[] { 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0xFF }[random.Next(8)];
                break;
            case 1:
                bytes[3] = new byte[] { 0, 1, 2, 3, 4, 5, 255 }[random.Next(7)];
                break;
            default:
                var rank = Math.Min(bytes[3], (bytes.Length - 4) / 4);
                if (rank > 0)
                {
                    BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * random.Next(rank)), IdxDims[random.Next(IdxDims.Length)]);
                }

                break;
        }

        return bytes;
    }

    [GeneratedRegex(@"'shape'\s*:\s*\([^)]*\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'descr'\s*:\s*'[^']*'")]
    private static partial Regex DescrPattern();
}
