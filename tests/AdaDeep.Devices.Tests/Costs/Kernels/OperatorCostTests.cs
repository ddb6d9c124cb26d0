using AdaDeep.Devices.Costs.Kernels;

namespace AdaDeep.Devices.Tests.Costs.Kernels;

public class OperatorCostTests
{
    [Fact]
    public void Cost_is_linear_in_each_quantity_in_millions()
    {
        var cost = new OperatorCost(FixedUs: 1, UsPerMMac: 2, UsPerMBActivations: 3, UsPerMBWeights: 4, UsPerMLowered: 5);
        var work = new KernelWork("Conv", Macs: 1e6, ActivationBytes: 2e6, WeightBytes: 3e6, LoweredElements: 4e6);

        Assert.Equal(1 + 2 * 1 + 3 * 2 + 4 * 3 + 5 * 4, cost.Microseconds(work), 9);
    }

    [Fact]
    public void Coefficients_round_trip_in_the_order_of_the_field_names()
    {
        var cost = new OperatorCost(1, 2, 3, 4, 5);

        Assert.Equal(cost, OperatorCost.FromCoefficients(cost.Coefficients));
        Assert.Equal(OperatorCost.FieldNames.Count, cost.Coefficients.Count);
        Assert.Equal("fixedUs", OperatorCost.FieldNames[0]);
    }

    [Fact]
    public void A_table_without_the_kind_gives_null_so_the_caller_falls_back()
    {
        var table = new OperatorCostTable(2, new Dictionary<string, OperatorCost> { ["Relu"] = new(1) });

        Assert.Equal(1, table.Microseconds(new KernelWork("Relu", 0, 10, 0, 0)));
        Assert.Null(table.Microseconds(new KernelWork("Conv", 10, 10, 10, 10)));
    }
}
