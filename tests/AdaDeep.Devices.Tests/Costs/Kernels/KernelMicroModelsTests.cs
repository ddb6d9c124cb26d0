using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Devices.Tests.Costs.Kernels;

public class KernelMicroModelsTests
{
    [Fact]
    public void The_sweep_is_the_same_bytes_every_time_with_unique_names()
    {
        var first = KernelMicroModels.Sweep();
        var second = KernelMicroModels.Sweep();

        Assert.True(first.Count >= 150, $"{first.Count} micro-models");
        Assert.Equal(first.Count, first.Select(m => m.Name).Distinct().Count());
        Assert.Equal(first.Select(m => m.Model.Sha256()), second.Select(m => m.Model.Sha256()));
    }

    [Fact]
    public void The_quick_sweep_is_a_third_of_the_full_one()
    {
        var full = KernelMicroModels.Sweep().Select(m => m.Name).ToList();
        var quick = KernelMicroModels.Sweep(quick: true).Select(m => m.Name).ToList();

        Assert.Equal((full.Count + 2) / 3, quick.Count);
        Assert.All(quick, name => Assert.Contains(name, full));
    }

    [Fact]
    public void Every_micro_model_has_a_kernel_the_cost_model_recognises()
    {
        foreach (var micro in KernelMicroModels.Sweep())
        {
            Assert.NotEmpty(KernelCalibrator.Kernels(micro));
        }
    }

    [Fact]
    public void The_sweep_covers_the_kernel_kinds_the_techniques_emit()
    {
        var kinds = KernelMicroModels.Sweep().SelectMany(KernelCalibrator.Kernels).Select(k => k.Kind).ToHashSet();

        foreach (var kind in new[] { "Conv", "Conv.depthwise", "Conv.grouped", "Conv.dq", "Gemm", "Gemm.dq", "MatMulNBits", "MaxPool", "Concat", "Relu", "GlobalAveragePool", "DequantizeLinear", "QuantizeLinear" })
        {
            Assert.Contains(kind, kinds);
        }
    }
}
