using System.IO.Compression;
using System.Text;
using AdaDeep.Compression.Data;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Data;

public class DataFileWriterTests
{
    [Fact]
    public void Npy_LaysOutTheHeaderAsNumpySaveDoes()
    {
        var bytes = DataFileWriter.Npy("<f4", new[] { 2 }, DataFileWriter.Floats(1.5f, -2f));

        // numpy.save(np.array([1.5, -2], dtype='<f4')): version 1.0, a 118-byte header, so the data starts at 128.
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 }, bytes[..10]);
        var header = Encoding.ASCII.GetString(bytes, 10, 118);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", header);
        Assert.EndsWith(" \n", header);
        Assert.Equal(new byte[] { 0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0 }, bytes[128..]);
    }

    [Fact]
    public void Npy_Version2_HasAFourByteHeaderLength_AndStillAlignsTheDataTo64Bytes()
    {
        var bytes = DataFileWriter.Npy("<i8", new[] { 2, 3 }, DataFileWriter.Int64s(1, 2, 3, 4, 5, 6), version: 2);

        Assert.Equal(2, bytes[6]);
        var headerLength = BitConverter.ToUInt32(bytes, 8);
        Assert.Equal(0u, (12 + headerLength) % 64);
        Assert.Equal(12 + headerLength + 6 * 8, (uint)bytes.Length);
    }

    [Fact]
    public void Packers_WriteLittleEndianValuesOfTheDtypeSize()
    {
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF }, DataFileWriter.Int32s(1, -1));
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0 }, DataFileWriter.Int64s(new List<long> { 2 }));
        Assert.Equal(BitConverter.GetBytes(0.25), DataFileWriter.Doubles(0.25));
        Assert.Equal(BitConverter.GetBytes(3f), DataFileWriter.Floats(Enumerable.Repeat(3f, 1)));
    }

    [Fact]
    public void Npz_IsTheSameBytesEachTime_KeepsEntryNamesAsGiven_AndDeflatesOnlyWhenAsked()
    {
        var x = DataFileWriter.Npy("|u1", new[] { 1000 }, new byte[1000]);

        var deflated = DataFileWriter.Npz(new[] { ("x.npy", x), ("odd name", x) }, compressed: true);
        var stored = DataFileWriter.Npz(new[] { ("x.npy", x) });

        Assert.Equal(deflated, DataFileWriter.Npz(new[] { ("x.npy", x), ("odd name", x) }, compressed: true));
        using var zip = new ZipArchive(new MemoryStream(deflated));
        Assert.Equal(new[] { "x.npy", "odd name" }, zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.True(e.CompressedLength < e.Length));
        // A fixed stamp, not the clock: archives written at different times are the same bytes too.
        Assert.All(zip.Entries, e => Assert.Equal(new DateTime(2020, 1, 1), e.LastWriteTime.DateTime));
        using var plain = new ZipArchive(new MemoryStream(stored));
        Assert.Equal(plain.Entries[0].Length, plain.Entries[0].CompressedLength);
    }

    [Fact]
    public void SaveNpz_NamesEntriesAsNumpySavez_AndTheLoaderReadsThemBack()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("d.npz");

        DataFileWriter.SaveNpz(path, new Dictionary<string, byte[]>
        {
            ["x"] = DataFileWriter.Npy("<f8", new[] { 2, 2 }, DataFileWriter.Doubles(0.5, 1, 1.5, 2)),
            ["y"] = DataFileWriter.Npy("<i4", new[] { 2 }, DataFileWriter.Int32s(4, 1)),
        });

        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(new[] { "x.npy", "y.npy" }, zip.Entries.Select(e => e.FullName));
        }

        var data = DatasetLoader.Load(path);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f }, data.X);
        Assert.Equal(new[] { 4, 1 }, data.Labels);
    }

    [Fact]
    public void Idx_WritesTheMagicRankAndBigEndianDimensions_AndGzipRoundTrips()
    {
        var idx = DataFileWriter.Idx(new[] { 2, 258 }, new byte[516]);

        Assert.Equal(new byte[] { 0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 1, 2 }, idx[..12]);
        Assert.Equal(12 + 516, idx.Length);
        using var gz = new GZipStream(new MemoryStream(DataFileWriter.Gzip(idx)), CompressionMode.Decompress);
        var back = new MemoryStream();
        gz.CopyTo(back);
        Assert.Equal(idx, back.ToArray());
    }
}
