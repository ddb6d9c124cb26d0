using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.FineTuning;

public class PrunedWeightOriginsTests
{
    private static float[] WeightOf(OnnxModel model, string node) =>
        TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == model.Graph.Node.Single(n => n.Name == node).Input[1]));

    [Fact]
    public void Find_MapsEachPrunedWeightToTheDenseWeightItWasPrunedFrom()
    {
        var original = TinyModels.LeNetLike();
        var w3 = new MagnitudePruningTechnique(50);
        var pruned = w3.Apply(w3.Apply(original, "conv2", TechniqueOptions.Default), "fc1", TechniqueOptions.Default);

        var dense = PrunedWeightOrigins.Find(original, pruned);

        Assert.Equal(2, dense.Count);
        var conv2 = pruned.Graph.Node.Single(n => n.Name == "conv2").Input[1];
        var fc1 = pruned.Graph.Node.Single(n => n.Name == "fc1").Input[1];
        Assert.Equal(WeightOf(original, "conv2"), dense[conv2]);
        Assert.Equal(WeightOf(original, "fc1"), dense[fc1]);
    }

    [Fact]
    public void Find_LeavesOutWeightsWhoseKeptValuesChanged()
    {
        var original = TinyModels.LeNetLike();
        var pruned = new MagnitudePruningTechnique(50).Apply(original, "fc1", TechniqueOptions.Default);
        var name = pruned.Graph.Node.Single(n => n.Name == "fc1").Input[1];
        var at = pruned.Graph.Initializer.ToList().FindIndex(t => t.Name == name);
        var tensor = pruned.Graph.Initializer[at];
        var changed = TensorData.ToFloats(tensor).Select(v => v * 1.5f).ToArray();
        var replaced = TensorData.FromFloats(name, tensor.Dims.ToArray(), changed);
        replaced.MetadataProps.AddRange(tensor.MetadataProps);
        pruned.Graph.Initializer[at] = replaced;

        Assert.Empty(PrunedWeightOrigins.Find(original, pruned));
        Assert.Empty(PrunedWeightOrigins.Find(original, original));
    }

    [Theory]
    [InlineData(new[] { 0f, 2f, 0f }, new[] { 1f, 2f, 3f }, true)]
    [InlineData(new[] { 0f, 2f, 3f }, new[] { 0f, 2f, 3f }, false)]
    [InlineData(new[] { 0f, 2.5f, 0f }, new[] { 1f, 2f, 3f }, false)]
    [InlineData(new[] { 0f, 2f }, new[] { 1f, 2f, 3f }, false)]
    public void IsPrunedFrom_NeedsTheSameValuesWithMoreZeros(float[] pruned, float[] dense, bool expected) =>
        Assert.Equal(expected, PrunedWeightOrigins.IsPrunedFrom(pruned, dense));
}
