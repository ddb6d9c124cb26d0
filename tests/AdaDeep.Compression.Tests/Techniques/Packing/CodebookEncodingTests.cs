using AdaDeep.Compression.Techniques.Packing;

namespace AdaDeep.Compression.Tests.Techniques.Packing;

public class CodebookEncodingTests
{
    private static float[] SparseValues(int n, double density, int distinct, int seed)
    {
        var rng = new Random(seed);
        var levels = Enumerable.Range(1, distinct).Select(i => (i % 2 == 0 ? -1 : 1) * i * 0.013f).ToArray();
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() < density ? levels[rng.Next(distinct)] : 0f).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    public void BitStreamRoundTrips(int width)
    {
        var rng = new Random(width);
        var fields = Enumerable.Range(0, 101).Select(_ => rng.Next(1 << width)).ToArray();
        var bytes = BitStream.Pack(fields, width);
        Assert.Equal((101 * width + 7) / 8, bytes.Length);
        Assert.Equal(fields, BitStream.Unpack(bytes, fields.Length, width));
    }

    [Fact]
    public void BitStreamRefusesAFieldThatDoesNotFit() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BitStream.Pack(new[] { 8 }, 3));

    [Fact]
    public void CodebookStartsWithZeroAndHoldsTheDistinctValuesInOrder()
    {
        var book = CodebookEncoding.TryCodebook(new[] { 0.5f, 0f, -0.25f, 0.5f, -0f });
        Assert.Equal(new[] { 0f, -0.25f, 0.5f }, book);
        Assert.Null(CodebookEncoding.TryCodebook(Enumerable.Range(1, 300).Select(i => (float)i).ToArray()));
    }

    [Theory]
    [InlineData(0.9, 31)]
    [InlineData(0.05, 31)]
    [InlineData(0.01, 15)]
    [InlineData(0.3, 255)]
    public void EveryFormDecodesToTheSameFloatsBitForBit(double density, int distinct)
    {
        var values = SparseValues(5000, density, distinct, seed: distinct);
        var book = CodebookEncoding.TryCodebook(values)!;
        var forms = new[] { CodebookEncoding.Dense(values, book), CodebookEncoding.Best(values, book) }
            .Concat(Enumerable.Range(1, 8).Select(g => CodebookEncoding.Sparse(values, book, g)));
        foreach (var form in forms)
        {
            Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), form.Decode().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void LongZeroRunsAreBridgedByFillersPointingAtZero()
    {
        var values = new float[1000];
        values[3] = 1f;
        values[999] = -2f;
        var book = CodebookEncoding.TryCodebook(values)!;
        var sparse = CodebookEncoding.Sparse(values, book, gapBits: 4);
        // 995 zeros between the two values: ⌊995 / 16⌋ = 62 fillers of 15 zeros + their own zero position.
        Assert.Equal(2 + 995 / 16, sparse.Entries);
        Assert.Equal(values, sparse.Decode());
    }

    [Fact]
    public void BestFormOfAPrunedTensorIsTheRelativeIndexOne()
    {
        var values = SparseValues(20000, 0.05, 31, seed: 3);
        var book = CodebookEncoding.TryCodebook(values)!;
        var best = CodebookEncoding.Best(values, book);
        Assert.True(best.IsSparse);
        Assert.Equal(5, best.IndexBits);
        // About 1,000 non-zeros at 5 + g bits each, against 20,000 × 5 bits dense.
        Assert.True(best.Stream.Length < CodebookEncoding.Dense(values, book).Stream.Length / 5, $"{best.Stream.Length} bytes");
    }
}
