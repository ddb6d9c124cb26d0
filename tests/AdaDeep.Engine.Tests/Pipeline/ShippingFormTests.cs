using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

public class ShippingFormTests
{
    /// <summary>The tiny MLP written the IR 3 way: every initializer also listed as a graph input.</summary>
    private static OnnxModel Ir3Model(long opset)
    {
        var model = TinyModels.Mlp();
        model.Proto.IrVersion = 3;
        model.Proto.OpsetImport[0].Version = opset;
        foreach (var init in model.Graph.Initializer)
        {
            model.Graph.Input.Add(GraphBuilder.TensorInfo(init.Name, init.DataType, init.Dims.Select(d => (long?)d)));
        }

        return model;
    }

    [Fact]
    public void RaisedOpset_DropsInitializersFromInputs_AndKeepsOutputs()
    {
        var model = Ir3Model(opset: 11);
        var input = TinyModels.Weights(8, 21);

        var shipped = ShippingForm.Apply(model);

        Assert.Equal(6, shipped.Proto.IrVersion);
        Assert.Equal(new[] { "x" }, shipped.Graph.Input.Select(i => i.Name));
        Assert.Equal(OrtRunner.Run(model, input, new[] { 2, 4 }), OrtRunner.Run(shipped, input, new[] { 2, 4 }));
        Assert.Equal(5, model.Graph.Input.Count);
    }

    [Fact]
    public void Opset8Model_StaysAsItIs()
    {
        var model = Ir3Model(opset: 8);

        var shipped = ShippingForm.Apply(model);

        Assert.Same(model, shipped);
        Assert.Equal(5, shipped.Graph.Input.Count);
    }
}
