using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Model;

public class Float16GraphTests
{
    [Fact]
    public void ToFloat32_TurnsEveryHalfIntoAnExactFloat()
    {
        var model = RealWorldTinyModels.Float16Cnn();

        var single = Float16Graph.ToFloat32(model);

        Assert.True(Float16Graph.Uses(model));
        Assert.False(Float16Graph.Uses(single));
        var half = TensorData.ToFloats(model.Graph.Initializer.First(t => t.Name == "conv.weight"));
        Assert.Equal(half, TensorData.ToFloats(single.Graph.Initializer.First(t => t.Name == "conv.weight")));
        Assert.Equal(3, OrtRunner.Run(single, new float[64], new[] { 1, 1, 8, 8 }).Length);
    }

    [Fact]
    public void ShipAs_RestoresFloat16InputsOutputsAndWeightStorage()
    {
        var model = RealWorldTinyModels.Float16Cnn();

        var shipped = Float16Graph.ShipAs(Float16Graph.ToFloat32(model), model);

        Assert.Equal(TensorData.Float16, shipped.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal(TensorData.Float16, shipped.Graph.Output[0].Type.TensorType.ElemType);
        Assert.Contains(shipped.Graph.Initializer, t => t.Name == "conv.weight_fp16" && t.DataType == TensorData.Float16);
        Assert.True(shipped.ToBytes().Length < model.ToBytes().Length + 400);
        var mlp = TinyModels.Mlp();
        Assert.Same(mlp, Float16Graph.ShipAs(mlp, mlp));
    }
}
