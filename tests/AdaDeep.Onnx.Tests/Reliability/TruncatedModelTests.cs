using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Reliability;

/// <summary>Every prefix of a model, as a partial download or copy leaves it: a model or a documented error, never a crash.</summary>
public class TruncatedModelTests
{
    [Theory]
    [InlineData("iris-mlp")]
    [InlineData("tiny-mlp")]
    public void Every_prefix_loads_or_is_rejected_with_a_documented_code(string name)
    {
        var bytes = name == "tiny-mlp" ? TinyModels.Mlp().ToBytes() : File.ReadAllBytes(RepoPaths.Model(name));
        const string file = "partial.onnx";
        var codes = new Dictionary<string, int>();
        var loaded = 0;
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            var code = ModelFileCodes.LoadOrDocumentedError(() =>
            {
                var model = OnnxModel.Parse(prefix, file);
                _ = ModelAnalyzer.Analyze(model); // what loads must analyse too
            }, file);
            if (code is null)
            {
                loaded++;
            }
            else
            {
                codes[code] = codes.GetValueOrDefault(code) + 1;
            }
        }

        Assert.Equal(bytes.Length, loaded + codes.Values.Sum());
        Assert.True(codes.GetValueOrDefault(ErrorCodes.ModelTruncated) > bytes.Length / 2,
            $"most prefixes end inside a message: {string.Join(", ", codes.Select(c => $"{c.Key}={c.Value}"))}");
        Assert.Equal(1, codes.GetValueOrDefault(ErrorCodes.ModelEmpty));
    }

    [Fact]
    public void A_truncated_file_on_disk_names_the_file()
    {
        using var scratch = new ScratchFolder();
        var bytes = File.ReadAllBytes(RepoPaths.Model("mnist-8"));
        var path = scratch.Write("mnist-8.onnx", bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var error = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(path));

        Assert.Equal(ErrorCodes.ModelTruncated, error.Code);
        Assert.Equal(path, error.File);
        Assert.StartsWith($"{path}: error ADA1003:", error.ToMSBuildString());
    }
}
