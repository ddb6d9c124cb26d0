namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>
/// The measured cost of one kernel kind on a device, linear in the kernel's work:
/// t = fixedUs + usPerMMac·MACs/10⁶ + usPerMBActivations·activation bytes/10⁶ + usPerMBWeights·weight bytes/10⁶
///   + usPerMLowered·im2col elements/10⁶   (microseconds).
/// Every coefficient is ≥ 0 (fitted by non-negative least squares); a coefficient the kind does not use is 0.
/// The inverse of usPerMMac is the kind's effective GMAC/s·10³, which unlike a roofline peak already holds the
/// efficiency small kernels reach.
/// </summary>
public sealed record OperatorCost(
    double FixedUs,
    double UsPerMMac = 0,
    double UsPerMBActivations = 0,
    double UsPerMBWeights = 0,
    double UsPerMLowered = 0)
{
    /// <summary>The YAML names of the coefficients, in the order of <see cref="Coefficients"/>.</summary>
    public static readonly IReadOnlyList<string> FieldNames = new[] { "fixedUs", "usPerMMac", "usPerMBActivations", "usPerMBWeights", "usPerMLowered" };

    public IReadOnlyList<double> Coefficients => new[] { FixedUs, UsPerMMac, UsPerMBActivations, UsPerMBWeights, UsPerMLowered };

    /// <summary>The work quantities each coefficient multiplies (1, MACs/10⁶, …), in the order of <see cref="Coefficients"/>.</summary>
    public static double[] Terms(KernelWork work) =>
        new[] { 1, work.Macs / 1e6, work.ActivationBytes / 1e6, work.WeightBytes / 1e6, work.LoweredElements / 1e6 };

    public static OperatorCost FromCoefficients(IReadOnlyList<double> c) => new(c[0], c[1], c[2], c[3], c[4]);

    public double Microseconds(KernelWork work)
    {
        var terms = Terms(work);
        var coefficients = Coefficients;
        var sum = 0.0;
        for (var i = 0; i < terms.Length; i++)
        {
            sum += coefficients[i] * terms[i];
        }

        return sum;
    }
}
