using System.IO.Compression;
using AdaDeep.Compression.Data;

namespace AdaDeep.Fuzz;

/// <summary>
/// Mutates what is inside a container and packs it again, so the mutant passes the container's checks (the zip CRC,
/// the gzip trailer) and reaches the parser inside: an entry of a .npz (its bytes, its name, or a missing or extra
/// entry), or the content of a .gz. Plain files get the inner mutation directly.
/// </summary>
public sealed class ContainerMutator : IMutator
{
    private static readonly IMutator Header = new DataHeaderMutator();

    public string Name => "data.Container";

    public byte[] Mutate(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus)
    {
        if (IsGzip(input))
        {
            try
            {
                return DataFileWriter.Gzip(Inner(Gunzip(input), random, corpus));
            }
            catch (InvalidDataException)
            {
                // Already damaged by an earlier mutation: mutate the compressed bytes instead.
            }
        }
        else if (IsZip(input))
        {
            try
            {
                return MutateZip(input, random, corpus);
            }
            catch (InvalidDataException)
            {
            }
        }

        return Inner(input, random, corpus);
    }

    private static byte[] MutateZip(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus)
    {
        var entries = new List<(string Name, byte[] Bytes, bool Compressed)>();
        using (var zip = new ZipArchive(new MemoryStream(input), ZipArchiveMode.Read))
        {
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                var content = new MemoryStream();
                stream.CopyTo(content);
                entries.Add((entry.FullName, content.ToArray(), entry.CompressedLength < entry.Length));
            }
        }

        if (entries.Count > 0)
        {
            var at = random.Next(entries.Count);
            var (name, bytes, compressed) = entries[at];
            switch (random.Next(6))
            {
                case 0:
                    entries[at] = (new[] { "x.npy", "y.npy", "x", "y", "X.npy", "x.npy.npy", "../x.npy", "" }[random.Next(8)], bytes, compressed);
                    break;
                case 1:
                    entries.RemoveAt(at);
                    break;
                case 2:
                    entries.Add((name, bytes, compressed)); // the same name twice
                    break;
                default:
                    entries[at] = (name, Inner(bytes, random, corpus), compressed);
                    break;
            }
        }

        return DataFileWriter.Npz(entries.Select(e => (e.Name, e.Bytes)), compressed: entries.Any(e => e.Compressed));
    }

    private static byte[] Inner(byte[] content, Random random, IReadOnlyList<FuzzSeed> corpus) =>
        random.Next(2) == 0
            ? Header.Mutate(content, random, corpus)
            : ByteMutator.All[random.Next(ByteMutator.All.Count)].Mutate(content, random, corpus);

    private static bool IsGzip(byte[] data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    private static bool IsZip(byte[] data) => data.Length >= 4 && data[0] == (byte)'P' && data[1] == (byte)'K';

    private static byte[] Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }
}
