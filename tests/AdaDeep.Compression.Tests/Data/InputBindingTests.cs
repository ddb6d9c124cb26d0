using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Data.DataFileWriter;

namespace AdaDeep.Compression.Tests.Data;

public class InputBindingTests
{
    [Fact]
    public void Bind_NpzWithoutX_TakesTheArrayNamedAfterTheFirstInput_AndTheOthersByName()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("vad.npz");
        SaveNpz(path, new Dictionary<string, byte[]>
        {
            ["state"] = Npy("<f4", new[] { 3, 2, 1, 4 }, Floats(new float[24])),
            ["input"] = Npy("<f4", new[] { 3, 16 }, Floats(TinyModels.Weights(48, 1))),
            ["sr"] = Npy("<i8", new[] { 3 }, Int64s(16000, 16000, 16000)),
        });

        var data = InputBinding.Bind(DatasetLoader.Load(path), RealWorldTinyModels.ThreeInputs());

        Assert.Equal("input", data.PrimaryName);
        Assert.Equal(new[] { 16 }, data.SampleShape);
        Assert.Equal(3, data.Count);
        Assert.True(data.Feed("state")!.PerSample is false); // equal for every sample: a constant
        Assert.Equal(new[] { 2, 1, 4 }, data.Feed("state")!.Shape);
        Assert.Equal(new[] { 16000.0 }, data.Feed("sr")!.Values);
        InputBinding.CheckAllFed(data, RealWorldTinyModels.ThreeInputs());
    }

    [Fact]
    public void Bind_NpzWithoutXOrAnArrayForTheFirstInput_IsDatasetMalformed()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("data.npz");
        SaveNpz(path, new Dictionary<string, byte[]> { ["data"] = Npy("<f4", new[] { 2, 4 }, Floats(new float[8])) });

        var e = Assert.Throws<AdaDeepException>(() => InputBinding.Bind(DatasetLoader.Load(path), TinyModels.Mlp()));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
        Assert.Contains("'x'", e.Message);
        Assert.Equal(path, e.File);
    }

    [Fact]
    public void Fill_ScalarConstantForATensorInput_TakesTheResolvedShape()
    {
        var model = RealWorldTinyModels.ThreeInputs();
        var data = new Dataset(new float[16], new[] { 16 }, null, "x").WithFeed(InputValueSpec.Parse("state=0.25"));

        var filled = InputBinding.Fill(data, InputShapes.Resolve(model, Array.Empty<(string, long[])>(), data));

        Assert.Equal(new[] { 2, 1, 4 }, filled.Feed("state")!.Shape);
        Assert.All(filled.Feed("state")!.Values, v => Assert.Equal(0.25, v));
    }
}
