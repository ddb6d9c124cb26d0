using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Data.DataFileWriter;

namespace AdaDeep.Compression.Tests.Data;

public class DatasetLoaderTests
{
    [Fact]
    public void Npz_ReadsFloatSamplesAndIntegerLabels()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("val.npz");
        SaveNpz(path, new Dictionary<string, byte[]>
        {
            ["x"] = Npy("<f4", new[] { 3, 2, 2 }, Floats(Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray())),
            ["y"] = Npy("<i8", new[] { 3 }, Int64s(2, 0, 1)),
        });

        var data = DatasetLoader.Load(path);

        Assert.Equal(3, data.Count);
        Assert.Equal(new[] { 2, 2 }, data.SampleShape);
        Assert.Equal(new[] { 2, 0, 1 }, data.Labels);
        Assert.Equal(new[] { 2f, 2.5f, 3f, 3.5f }, data.Sample(1).ToArray());
        Assert.Equal(path, data.Source);
    }

    [Theory]
    [InlineData("<f8")]
    [InlineData("|u1")]
    [InlineData("<i4")]
    [InlineData("<i8")]
    public void Npz_ConvertsEverySupportedDtypeToFloat(string dtype)
    {
        using var tmp = new TempFolder();
        var path = tmp.File("d.npz");
        var values = new[] { 0, 1, 7, 255 };
        var bytes = dtype switch
        {
            "<f8" => Doubles(values.Select(v => (double)v).ToArray()),
            "|u1" => values.Select(v => (byte)v).ToArray(),
            "<i4" => Int32s(values),
            _ => Int64s(values.Select(v => (long)v).ToArray()),
        };
        SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = Npy(dtype, new[] { 2, 2 }, bytes), ["y"] = Npy("<i4", new[] { 2 }, Int32s(1, 0)) },
            compressed: true);

        var data = DatasetLoader.Load(path);

        Assert.Equal(new[] { 0f, 1f, 7f, 255f }, data.X);
        Assert.Equal(new[] { 2 }, data.SampleShape);
        Assert.Equal(new[] { 1, 0 }, data.Labels);
    }

    [Fact]
    public void Npz_WithoutLabels_IsUnlabelled_AndNpyVersion2HeadersRead()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("x.npz");
        SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = Npy("<f4", new[] { 2, 3 }, Floats(1, 2, 3, 4, 5, 6), version: 2) });

        var data = DatasetLoader.Load(path);

        Assert.False(data.HasLabels);
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public void Npy_AloneIsUnlabelledSamples()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("x.npy");
        File.WriteAllBytes(path, Npy("<f4", new[] { 4 }, Floats(1, 2, 3, 4)));

        var data = DatasetLoader.Load(path);

        Assert.Equal(4, data.Count);
        Assert.Equal(new[] { 1 }, data.SampleShape);
        Assert.Null(data.Labels);
    }

    [Theory]
    [InlineData("fortran")]
    [InlineData("dtype")]
    [InlineData("truncated")]
    [InlineData("labels")]
    [InlineData("fractional-labels")]
    [InlineData("not-zip")]
    public void Npz_MalformedFiles_FailWithDatasetMalformedNamingTheFile(string damage)
    {
        using var tmp = new TempFolder();
        var path = tmp.File("bad.npz");
        var x = Npy("<f4", new[] { 2, 2 }, Floats(1, 2, 3, 4));
        switch (damage)
        {
            case "fortran":
                SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = Npy("<f4", new[] { 2, 2 }, Floats(1, 2, 3, 4), fortranOrder: true) });
                break;
            case "dtype":
                SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = Npy(">f4", new[] { 2, 2 }, Floats(1, 2, 3, 4)) });
                break;
            case "truncated":
                SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = x[..^3] });
                break;
            case "labels":
                SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = x, ["y"] = Npy("<i8", new[] { 3 }, Int64s(0, 1, 2)) });
                break;
            case "fractional-labels":
                SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = x, ["y"] = Npy("<f4", new[] { 2 }, Floats(0.5f, 1f)) });
                break;
            default:
                File.WriteAllText(path, "this is not a zip archive");
                break;
        }

        var e = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(path));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
        Assert.Equal(path, e.File);
    }

    [Fact]
    public void Idx_FolderWithGzippedFiles_ReadsImagesAsRawPixelValuesAndLabels()
    {
        using var tmp = new TempFolder();
        var pixels = Enumerable.Range(0, 2 * 3 * 3).Select(i => (byte)(i * 14)).ToArray();
        File.WriteAllBytes(tmp.File("t10k-images-idx3-ubyte.gz"), Gzip(Idx(new[] { 2, 3, 3 }, pixels)));
        File.WriteAllBytes(tmp.File("t10k-labels-idx1-ubyte.gz"), Gzip(Idx(new[] { 2 }, new byte[] { 7, 3 })));

        var data = DatasetLoader.Load(tmp.Path);

        Assert.Equal(new[] { 1, 3, 3 }, data.SampleShape);
        Assert.Equal(pixels.Select(p => (float)p).ToArray(), data.X);
        Assert.Equal(new[] { 7, 3 }, data.Labels);
    }

    [Fact]
    public void Idx_ImagesFile_PicksTheMatchingRawLabels_AndFolderChoosesThePart()
    {
        using var tmp = new TempFolder();
        File.WriteAllBytes(tmp.File("train-images-idx3-ubyte"), Idx(new[] { 3, 2, 2 }, new byte[12]));
        File.WriteAllBytes(tmp.File("train-labels-idx1-ubyte"), Idx(new[] { 3 }, new byte[] { 1, 2, 3 }));
        File.WriteAllBytes(tmp.File("t10k-images-idx3-ubyte"), Idx(new[] { 1, 2, 2 }, new byte[] { 0, 255, 0, 255 }));
        File.WriteAllBytes(tmp.File("t10k-labels-idx1-ubyte"), Idx(new[] { 1 }, new byte[] { 9 }));

        var train = DatasetLoader.Load(tmp.File("train-images-idx3-ubyte"));
        var test = DatasetLoader.Load(tmp.Path);
        var trainFromFolder = DatasetLoader.Load(tmp.Path, new DatasetLoadOptions(MnistPart: "train"));

        Assert.Equal(new[] { 1, 2, 3 }, train.Labels);
        Assert.Equal(new[] { 9 }, test.Labels);
        Assert.Equal(3, trainFromFolder.Count);
    }

    [Fact]
    public void Idx_LabelCountMismatch_IsMalformedNamingTheLabelsFile()
    {
        using var tmp = new TempFolder();
        File.WriteAllBytes(tmp.File("t10k-images-idx3-ubyte"), Idx(new[] { 2, 2, 2 }, new byte[8]));
        File.WriteAllBytes(tmp.File("t10k-labels-idx1-ubyte"), Idx(new[] { 3 }, new byte[] { 1, 2, 3 }));

        var e = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(tmp.Path));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
        Assert.Equal(tmp.File("t10k-labels-idx1-ubyte"), e.File);
    }

    [Fact]
    public void OnnxTestDataSet_OneFolder_ReadsItsInput()
    {
        var data = DatasetLoader.Load(Path.Combine(RepoPaths.ModelFolder("mnist-8"), "test_data_set_0"));

        Assert.Equal(1, data.Count);
        Assert.Equal(new[] { 1, 28, 28 }, data.SampleShape);
        Assert.False(data.HasLabels);
        Assert.Contains(data.X, v => v > 1f); // raw pixel values 0–255
    }

    [Fact]
    public void OnnxTestDataSet_ModelFolder_ReadsEverySetInOrder()
    {
        var folder = RepoPaths.ModelFolder("mnist-8");

        var all = DatasetLoader.Load(folder);
        var first = DatasetLoader.Load(Path.Combine(folder, "test_data_set_0"));
        var third = DatasetLoader.Load(Path.Combine(folder, "test_data_set_2"));

        Assert.Equal(3, all.Count);
        Assert.Equal(first.X, all.Sample(0).ToArray());
        Assert.Equal(third.X, all.Sample(2).ToArray());
    }

    [Fact]
    public void Options_LimitTheSamplesAndScaleTheValues()
    {
        using var tmp = new TempFolder();
        File.WriteAllBytes(tmp.File("t10k-images-idx3-ubyte"), Idx(new[] { 3, 1, 2 }, new byte[] { 0, 255, 51, 102, 1, 2 }));

        var data = DatasetLoader.Load(tmp.Path, new DatasetLoadOptions(MaxSamples: 2, Scale: 1f / 255));

        Assert.Equal(2, data.Count);
        Assert.Equal(new[] { 0f, 1f, 0.2f, 0.4f }, data.X.Select(v => MathF.Round(v, 5)).ToArray());
        Assert.Null(data.Labels); // no labels file next to the images
    }

    [Fact]
    public void MissingPaths_AndFoldersWithoutData_AreDatasetNotFound()
    {
        using var tmp = new TempFolder();

        var missing = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(tmp.File("nope.npz")));
        var empty = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(tmp.Path));

        Assert.Equal(ErrorCodes.DatasetNotFound, missing.Code);
        Assert.Equal(ErrorCodes.DatasetNotFound, empty.Code);
        Assert.Equal(tmp.Path, empty.File);
    }

    [Fact]
    public void UnknownFileFormats_AreMalformed()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("data.csv"), "1,2,3\n");

        var e = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(tmp.File("data.csv")));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
    }

    [Fact]
    public void Idx_DimensionsTooLargeToLoad_AreMalformedNotAnOverflow()
    {
        using var tmp = new TempFolder();
        File.WriteAllBytes(tmp.File("t10k-images-idx3-ubyte"), Idx(new[] { int.MaxValue, int.MaxValue, int.MaxValue }, new byte[4]));

        var e = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(tmp.Path));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
    }

    [Fact]
    public void OnnxTestDataSet_WithAnImpossibleShape_IsMalformed()
    {
        using var tmp = new TempFolder();
        var tensor = new AdaDeep.Onnx.Proto.TensorProto { DataType = AdaDeep.Onnx.Model.TensorData.Float };
        tensor.Dims.AddRange(new long[] { 1, 5_000_000_000L });
        File.WriteAllBytes(tmp.File("input_0.pb"), Google.Protobuf.MessageExtensions.ToByteArray(tensor));

        var e = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(tmp.Path));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
    }
}
