using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Reliability;

/// <summary>A write that fails leaves nothing half-written: no partial file at the target, no temporary file beside it.</summary>
public class FailedSaveTests
{
    [Fact]
    public void Saving_a_model_onto_a_folder_is_ADA5002_and_leaves_nothing_behind()
    {
        using var scratch = new ScratchFolder();
        var target = Directory.CreateDirectory(Path.Combine(scratch.Path, "model.onnx")).FullName;

        var error = Assert.Throws<AdaDeepException>(() => TinyModels.Mlp().Save(target));

        Assert.Equal(ErrorCodes.OutputNotWritable, error.Code);
        Assert.Equal(target, error.File);
        Assert.True(Directory.Exists(target));
        Assert.Equal(new[] { target }, Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public void Saving_a_tensor_onto_a_folder_is_ADA5002_and_leaves_nothing_behind()
    {
        using var scratch = new ScratchFolder();
        var target = Directory.CreateDirectory(Path.Combine(scratch.Path, "input_0.pb")).FullName;
        var tensor = TensorData.FromFloats("x", new long[] { 2 }, new[] { 1f, 2f });

        var error = Assert.Throws<AdaDeepException>(() => TensorFile.Write(target, tensor));

        Assert.Equal(ErrorCodes.OutputNotWritable, error.Code);
        Assert.Equal(new[] { target }, Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public void A_model_saved_over_an_older_one_replaces_it_whole()
    {
        using var scratch = new ScratchFolder();
        var path = scratch.Write("model.onnx", File.ReadAllBytes(RepoPaths.Model("mnist-8")));

        var model = TinyModels.Mlp();
        model.Save(path);

        Assert.Equal(model.ToBytes(), File.ReadAllBytes(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(scratch.Path));
    }
}
