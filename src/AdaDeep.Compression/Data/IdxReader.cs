using System.Buffers.Binary;
using System.IO.Compression;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Reads MNIST-style IDX files (raw or gzipped): an images file (unsigned bytes, [N, rows, cols]) and the matching
/// labels file ([N]). Images become float samples of shape [1, rows, cols] with the raw values 0–255.
/// </summary>
internal static class IdxReader
{
    private const byte UnsignedByte = 0x08;

    /// <summary>True when the file starts like an IDX file (possibly gzipped).</summary>
    public static bool LooksLikeIdx(string path)
    {
        try
        {
            using var stream = OpenMaybeGzipped(path);
            var head = new byte[4];
            return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head[0] == 0 && head[1] == 0 && head[3] is >= 1 and <= 4;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Finds the images file of <paramref name="part"/> in a folder, or null when there is none.</summary>
    public static string? FindImages(string folder, string part)
    {
        var images = Directory.EnumerateFiles(folder)
            .Where(f => IsImagesName(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (images.Count <= 1)
        {
            return images.FirstOrDefault();
        }

        return images.FirstOrDefault(f => Path.GetFileName(f).StartsWith(part, StringComparison.OrdinalIgnoreCase))
               ?? throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                   $"the folder holds several IDX image files ({string.Join(", ", images.Select(Path.GetFileName))}) and none starts with '{part}'", folder);
    }

    /// <summary>True when the folder holds an IDX images file whose name starts with <paramref name="part"/>.</summary>
    public static bool HasPart(string folder, string part) =>
        Directory.EnumerateFiles(folder).Any(f => IsImagesName(Path.GetFileName(f)) && Path.GetFileName(f).StartsWith(part, StringComparison.OrdinalIgnoreCase));

    public static Dataset Read(string imagesPath)
    {
        var (imageDims, pixels) = ReadFile(imagesPath);
        if (imageDims.Length != 3)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                $"an IDX images file has 3 dimensions [N, rows, cols]; this one has {imageDims.Length}", imagesPath);
        }

        var x = new float[pixels.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = pixels[i];
        }

        int[]? labels = null;
        var labelsPath = MatchingLabels(imagesPath);
        if (labelsPath is not null)
        {
            var (labelDims, values) = ReadFile(labelsPath);
            if (labelDims.Length != 1 || labelDims[0] != imageDims[0])
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                    $"the labels file has shape [{string.Join(",", labelDims)}] but the images file holds {imageDims[0]} images", labelsPath);
            }

            labels = values.Select(v => (int)v).ToArray();
        }

        return new Dataset(x, new[] { 1, imageDims[1], imageDims[2] }, labels, imagesPath);
    }

    private static bool IsImagesName(string name) =>
        name.Contains("images", StringComparison.OrdinalIgnoreCase) && name.Contains("idx3", StringComparison.OrdinalIgnoreCase);

    /// <summary>t10k-images-idx3-ubyte[.gz] → t10k-labels-idx1-ubyte[.gz] (either compression).</summary>
    private static string? MatchingLabels(string imagesPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(imagesPath))!;
        var name = Path.GetFileName(imagesPath);
        var stem = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
        var labelsStem = stem.Replace("images", "labels", StringComparison.OrdinalIgnoreCase)
            .Replace("idx3", "idx1", StringComparison.OrdinalIgnoreCase);
        return new[] { labelsStem, labelsStem + ".gz" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
    }

    private static (int[] Dims, byte[] Values) ReadFile(string path)
    {
        try
        {
            using var stream = OpenMaybeGzipped(path);
            var head = ReadExactly(stream, 4, path, "the IDX header");
            if (head[0] != 0 || head[1] != 0)
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed, "not an IDX file (bad magic)", path);
            }

            if (head[2] != UnsignedByte)
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                    $"IDX element type 0x{head[2]:x2} is not supported (only unsigned bytes, 0x08)", path);
            }

            var rank = head[3];
            var dimBytes = ReadExactly(stream, 4 * rank, path, "the IDX dimensions");
            var dims = new int[rank];
            for (var i = 0; i < rank; i++)
            {
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
                if (dims[i] < 0)
                {
                    throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"IDX dimension {i} is negative", path);
                }
            }

            var count = BoundedRead.ElementCount(dims.Select(d => (long)d)); // saturates: 255 dimensions cannot overflow it

            if (count > Array.MaxLength)
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed, "the IDX file is too large to load", path);
            }

            return (dims, ReadExactly(stream, (int)count, path, $"the data of shape [{string.Join(",", dims)}]"));
        }
        catch (InvalidDataException e)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"cannot decompress the gzipped IDX file: {e.Message}", path, e);
        }
    }

    private static Stream OpenMaybeGzipped(string path)
    {
        var file = File.OpenRead(path);
        var b0 = file.ReadByte();
        var b1 = file.ReadByte();
        file.Position = 0;
        return b0 == 0x1f && b1 == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static byte[] ReadExactly(Stream stream, int count, string file, string what) =>
        BoundedRead.Exactly(stream, count, out var read)
        ?? throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"the file ends inside {what} ({read} of {count} bytes)", file);
}
