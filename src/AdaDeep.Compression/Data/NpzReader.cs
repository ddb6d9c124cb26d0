using System.IO.Compression;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Reads a NumPy .npz archive (numpy.savez / savez_compressed): array <c>x</c> holds the samples (first dimension
/// = sample), optional <c>y</c> their integer class labels. Every other array feeds the model input of its name
/// (<see cref="Dataset.Extras"/>): one row per sample when its first dimension is the sample count, else a constant.
/// Without <c>x</c>, the first other array holds the samples (<see cref="Dataset.PrimaryName"/> says which) and the
/// model binding puts the array named after the model's first input there. Also reads a lone .npy file as
/// unlabelled samples.
/// </summary>
internal static class NpzReader
{
    public static Dataset ReadNpz(string path)
    {
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"not a .npz archive (zip): {e.Message}", path, e);
        }

        using (archive)
        {
            try
            {
                return ReadArrays(archive, path);
            }
            catch (InvalidDataException e)
            {
                // The central directory is read lazily: a damaged one shows up at the first entry lookup.
                throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"damaged .npz archive (zip): {e.Message}", path, e);
            }
        }
    }

    private static Dataset ReadArrays(ZipArchive archive, string path)
    {
        var named = archive.Entries
            .Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal) || !e.FullName.Contains('.'))
            .Select(e => (Name: Path.GetFileNameWithoutExtension(e.FullName), Entry: e))
            .Where(e => e.Name != "y")
            .ToList();
        var xEntry = Find(archive, "x") ?? named.FirstOrDefault().Entry ?? throw new AdaDeepException(ErrorCodes.DatasetMalformed,
            $"the archive has no array 'x' (it holds: {string.Join(", ", archive.Entries.Select(e => e.FullName))})", path);
        var primaryName = Path.GetFileNameWithoutExtension(xEntry.FullName);
        var x = ReadEntry(xEntry, path);
        var samples = x.Shape.Length == 0 ? 1 : x.Shape[0];
        var yEntry = Find(archive, "y");
        int[]? labels = null;
        if (yEntry is not null)
        {
            var y = ReadEntry(yEntry, path);
            if (y.Length != samples || y.Shape.Count(d => d != 1) > 1)
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                    $"'y' of shape ({string.Join(",", y.Shape)}) does not hold one label for each of the {samples} samples of '{primaryName}'", path);
            }

            labels = y.ToLabels(path);
        }

        var extras = new List<InputFeed>();
        foreach (var (name, entry) in named.Where(e => e.Entry != xEntry))
        {
            NpyArray array;
            try
            {
                array = ReadEntry(entry, path);
            }
            catch (AdaDeepException)
            {
                // Arrays other than x and y were ignored before multi-input models: one that cannot be read (a string
                // dtype, say) still is; a model input it was meant for is then named by InputMissing.
                continue;
            }

            var perSample = array.Shape.Length > 0 && array.Shape[0] == samples;
            extras.Add(new InputFeed(name, perSample ? array.Shape[1..] : array.Shape, array.ToDoubles(), perSample, $"{path}:{entry.FullName}"));
        }

        return ToDataset(x, labels, path) with { Extras = extras, PrimaryName = primaryName == "x" ? null : primaryName };
    }

    public static Dataset ReadNpy(string path)
    {
        using var stream = File.OpenRead(path);
        return ToDataset(NpyArray.Read(stream, path), null, path);
    }

    private static Dataset ToDataset(NpyArray x, int[]? labels, string path)
    {
        if (x.Shape.Length == 0)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, "'x' is a scalar; it needs a first dimension of samples", path);
        }

        // A 1-D x is a list of scalar samples.
        var sampleShape = x.Shape.Length == 1 ? new[] { 1 } : x.Shape[1..];
        return new Dataset(x.ToFloats(), sampleShape, labels, path);
    }

    private static ZipArchiveEntry? Find(ZipArchive archive, string name) =>
        archive.GetEntry(name + ".npy") ?? archive.GetEntry(name);

    private static NpyArray ReadEntry(ZipArchiveEntry entry, string path)
    {
        try
        {
            using var stream = entry.Open();
            return NpyArray.Read(stream, path, entry.FullName);
        }
        catch (InvalidDataException e)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"cannot decompress '{entry.FullName}': {e.Message}", path, e);
        }
    }
}
