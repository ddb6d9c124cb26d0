using AdaDeep.Compression.Techniques.Linalg;

namespace AdaDeep.Compression.Tests.Techniques.Linalg;

public class SparseCoderTests
{
    [Fact]
    public void CodesRespectTheSparsityAndApproximateW()
    {
        var rng = new DeterministicRandom(5);
        var w = new double[12, 30];
        for (var i = 0; i < 12; i++)
        {
            for (var j = 0; j < 30; j++)
            {
                w[i, j] = rng.NextDouble() - 0.5;
            }
        }

        var code = SparseCoder.Learn(w, atoms: 6, nonZerosPerColumn: 2, iterations: 10, new DeterministicRandom(1));

        for (var j = 0; j < 30; j++)
        {
            var nz = 0;
            for (var a = 0; a < 6; a++)
            {
                nz += code.Codes[a, j] != 0 ? 1 : 0;
            }

            Assert.InRange(nz, 0, 2);
        }

        var approx = DenseAlgebra.Multiply(code.Dictionary, code.Codes);
        var error = 0.0;
        var norm = 0.0;
        for (var i = 0; i < 12; i++)
        {
            for (var j = 0; j < 30; j++)
            {
                error += Math.Pow(w[i, j] - approx[i, j], 2);
                norm += w[i, j] * w[i, j];
            }
        }

        // Each column projected on its best 2 of 6 atoms keeps a good part of its energy.
        Assert.True(error < 0.8 * norm, $"relative squared error {error / norm}");
    }

    [Fact]
    public void FullDictionaryAndDenseCodesAreExact()
    {
        var w = new double[,] { { 1, 2, 3 }, { -1, 0.5, 2 }, { 0, 1, -1 } };
        var code = SparseCoder.Learn(w, atoms: 3, nonZerosPerColumn: 3, iterations: 3, new DeterministicRandom(1));
        var approx = DenseAlgebra.Multiply(code.Dictionary, code.Codes);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(w[i, j], approx[i, j], 1e-8);
            }
        }
    }
}
