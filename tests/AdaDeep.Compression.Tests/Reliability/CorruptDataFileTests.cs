using System.Buffers.Binary;
using System.Text;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Tests.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using Google.Protobuf;
using static AdaDeep.Compression.Data.DataFileWriter;

namespace AdaDeep.Compression.Tests.Reliability;

/// <summary>
/// Damaged data sets: each is DatasetMalformed (ADA3004) naming the file, never another exception, and a header that
/// claims more data than the file holds costs no more memory than the file. The cases marked "fuzz" were found by
/// src/AdaDeep.Fuzz and threw InvalidDataException, OverflowException or allocated gigabytes before (docs/reliability.md).
/// </summary>
public class CorruptDataFileTests
{
    /// <summary>Far above what reading these small files needs, far below what trusting their headers allocated.</summary>
    private const long AllocationLimit = 64L << 20;

    [Fact]
    public void Npz_whose_central_directory_disagrees_with_its_end_record_is_malformed()
    {
        // fuzz: the central directory is read lazily, so GetEntry threw InvalidDataException past the loader's catch.
        using var tmp = new TempFolder();
        var path = tmp.File("bad.npz");
        SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = Npy("<f4", new[] { 2, 2 }, Floats(1, 2, 3, 4)) });
        var bytes = File.ReadAllBytes(path);
        var end = bytes.AsSpan().LastIndexOf(new byte[] { 0x50, 0x4B, 0x05, 0x06 }); // end of central directory
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(end + 8), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(end + 10), 3);
        File.WriteAllBytes(path, bytes);

        AssertMalformed(path);
    }

    [Fact]
    public void Npy_version_2_header_length_of_4_GB_is_malformed()
    {
        // fuzz: checked((int)uint) threw OverflowException.
        using var tmp = new TempFolder();
        var bytes = Npy("<f4", new[] { 2, 2 }, Floats(1, 2, 3, 4), version: 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), uint.MaxValue);
        var path = tmp.File("x.npy");
        File.WriteAllBytes(path, bytes);

        var error = AssertMalformed(path);

        Assert.Contains("header", error.Message);
    }

    [Theory]
    [InlineData("<f4", new[] { 2147483647, 2147483647, 2147483647 })]
    [InlineData("<f8", new[] { 65536, 65536, 65536, 65536 })]
    [InlineData("|u1", new[] { 2147483647, 2147483647 })]
    public void Npy_shape_whose_size_overflows_is_malformed(string dtype, int[] shape)
    {
        // The product of the shape wrapped around in 64 bits; a negative size reached new byte[...].
        using var tmp = new TempFolder();
        var path = tmp.File("x.npy");
        File.WriteAllBytes(path, Npy(dtype, shape, new byte[16]));

        var error = AssertMalformed(path);

        Assert.Contains("too large", error.Message);
    }

    [Theory]
    [InlineData(".npy")]
    [InlineData(".npz")]
    public void Npy_claiming_a_gigabyte_in_a_small_file_is_malformed_without_allocating_it(string extension)
    {
        // fuzz: the buffer for the claimed size was allocated before reading (1 GB here, up to 2 GB).
        using var tmp = new TempFolder();
        var path = tmp.File("x" + extension);
        var npy = Npy("|u1", new[] { 1_000_000, 1000 }, new byte[100]);
        if (extension == ".npz")
        {
            SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = npy }, compressed: true);
        }
        else
        {
            File.WriteAllBytes(path, npy);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = AssertMalformed(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("ends inside the data", error.Message);
        Assert.True(allocated < AllocationLimit, $"{allocated >> 20} MB allocated to reject a {new FileInfo(path).Length}-byte file");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_claiming_a_gigabyte_in_a_small_file_is_malformed_without_allocating_it(bool gzipped)
    {
        using var tmp = new TempFolder();
        var idx = Idx(new[] { 2_000_000, 28, 28 }, new byte[784]);
        var path = tmp.File(gzipped ? "t10k-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte");
        File.WriteAllBytes(path, gzipped ? Gzip(idx) : idx);

        var before = GC.GetAllocatedBytesForCurrentThread();
        AssertMalformed(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < AllocationLimit, $"{allocated >> 20} MB allocated to reject a {new FileInfo(path).Length}-byte file");
    }

    [Fact]
    public void Idx_dimensions_whose_product_overflows_are_malformed()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("t10k-images-idx3-ubyte");
        File.WriteAllBytes(path, Idx(new[] { int.MaxValue, int.MaxValue, int.MaxValue }, new byte[16]));

        AssertMalformed(path);
    }

    [Fact]
    public void A_test_data_set_tensor_with_dimensions_beyond_32_bits_is_malformed()
    {
        // fuzz: [2^32, 2^32] wrapped to 0 elements, matched the empty data, then (int)2^32 threw OverflowException.
        using var tmp = new TempFolder();
        var folder = Directory.CreateDirectory(tmp.File("test_data_set_0")).FullName;
        var tensor = new TensorProto { Name = "x", DataType = TensorData.Float, Dims = { 1L << 32, 1L << 32 } };
        var path = Path.Combine(folder, "input_0.pb");
        File.WriteAllBytes(path, tensor.ToByteArray());

        var error = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(folder));

        Assert.Equal(ErrorCodes.DatasetMalformed, error.Code);
        Assert.Equal(path, error.File);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("no data type")]
    [InlineData("values short of the shape")]
    [InlineData("strings")]
    public void A_damaged_test_data_set_tensor_is_malformed_naming_input_0(string damage)
    {
        using var tmp = new TempFolder();
        var folder = Directory.CreateDirectory(tmp.File("test_data_set_0")).FullName;
        var path = Path.Combine(folder, "input_0.pb");
        var real = File.ReadAllBytes(Path.Combine(RepoPaths.ModelFolder("mnist-8"), "test_data_set_0", "input_0.pb"));
        var bytes = damage switch
        {
            "empty" => Array.Empty<byte>(),
            "text" => Encoding.UTF8.GetBytes("not a tensor"),
            "no data type" => new TensorProto { Dims = { 1, 4 }, FloatData = { 1, 2, 3, 4 } }.ToByteArray(),
            "values short of the shape" => With(TensorProto.Parser.ParseFrom(real), t => t.RawData = ByteString.CopyFrom(t.RawData.Span[..100])).ToByteArray(),
            _ => new TensorProto { DataType = (int)TensorProto.Types.DataType.String, Dims = { 1 }, StringData = { ByteString.CopyFromUtf8("a") } }.ToByteArray(),
        };
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(tmp.Path));

        Assert.Equal(ErrorCodes.DatasetMalformed, error.Code);
        Assert.Equal(path, error.File);
    }

    [Theory]
    [InlineData("data.npz")]
    [InlineData("data.npy")]
    [InlineData("input_0.pb")]
    [InlineData("t10k-images-idx3-ubyte")]
    [InlineData("t10k-images-idx3-ubyte.gz")]
    public void An_empty_file_is_malformed(string name)
    {
        using var tmp = new TempFolder();
        var path = tmp.File(name);
        File.WriteAllBytes(path, Array.Empty<byte>());

        Assert.Equal(path, AssertMalformed(path).File);
    }

    public static TheoryData<string> SmallFiles => new() { "npy", "npz", "npz-deflated", "idx", "idx-gz" };

    [Theory]
    [MemberData(nameof(SmallFiles))]
    public void Every_prefix_of_a_small_data_file_loads_or_is_malformed(string kind)
    {
        using var tmp = new TempFolder();
        var x = Npy("<f4", new[] { 3, 2 }, Floats(1, 2, 3, 4, 5, 6));
        var (name, bytes) = kind switch
        {
            "npy" => ("x.npy", x),
            "npz" or "npz-deflated" => ("x.npz", NpzBytes(tmp, x, kind == "npz-deflated")),
            "idx" => ("t10k-images-idx3-ubyte", Idx(new[] { 2, 3, 3 }, Enumerable.Range(0, 18).Select(i => (byte)i).ToArray())),
            _ => ("t10k-images-idx3-ubyte.gz", Gzip(Idx(new[] { 2, 3, 3 }, Enumerable.Range(0, 18).Select(i => (byte)i).ToArray()))),
        };
        var path = tmp.File(name);
        var loaded = 0;
        for (var length = 0; length <= bytes.Length; length++)
        {
            File.WriteAllBytes(path, bytes.AsSpan(0, length).ToArray());
            try
            {
                var data = DatasetLoader.Load(path);
                Assert.Equal(data.Count * data.SampleSize, data.X.Length);
                loaded++;
            }
            catch (AdaDeepException e)
            {
                Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
                Assert.Equal(path, e.File);
            }
        }

        Assert.True(loaded >= 1, "the whole file loads");
    }

    [Fact]
    public void Samples_that_do_not_fit_the_model_are_a_shape_mismatch_naming_the_data_set()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("cifar-like.npz");
        SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = Npy("<f4", new[] { 2, 3, 5, 5 }, new byte[2 * 3 * 5 * 5 * 4]) });
        var data = DatasetLoader.Load(path);

        var error = Assert.Throws<AdaDeepException>(() => data.CheckMatches(OnnxModel.Load(RepoPaths.Model("mnist-8"))));

        Assert.Equal(ErrorCodes.DatasetShapeMismatch, error.Code);
        Assert.Equal(path, error.File);
        Assert.Contains("[3,5,5]", error.Message);
    }

    [Fact]
    public void Iris_rows_for_an_image_model_are_a_shape_mismatch()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("iris.npz");
        SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = Npy("<f8", new[] { 2, 4 }, Doubles(5.1, 3.5, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4)) });

        var error = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(path).ConformTo(OnnxModel.Load(RepoPaths.Model("mnist-8"))));

        Assert.Equal(ErrorCodes.DatasetShapeMismatch, error.Code);
        Assert.Equal(path, error.File);
    }

    private static AdaDeepException AssertMalformed(string path)
    {
        var error = Assert.Throws<AdaDeepException>(() => DatasetLoader.Load(path));
        Assert.Equal(ErrorCodes.DatasetMalformed, error.Code);
        Assert.Equal(path, error.File);
        return error;
    }

    private static byte[] NpzBytes(TempFolder tmp, byte[] x, bool deflated)
    {
        var path = tmp.File("whole.npz");
        SaveNpz(path, new Dictionary<string, byte[]> { ["x"] = x, ["y"] = Npy("<i8", new[] { 3 }, Int64s(0, 1, 2)) }, compressed: deflated);
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    private static TensorProto With(TensorProto tensor, Action<TensorProto> change)
    {
        change(tensor);
        return tensor;
    }
}
