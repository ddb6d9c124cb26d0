using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// Keeps pruned weights pruned: for every parameter with at least a given fraction of exact zeros, a 0/1 mask that
/// zeroes those positions' gradients before each optimizer step and their values after it (Adam's momentum would
/// otherwise move them).
/// </summary>
internal sealed class PrunedWeightMasks : IDisposable
{
    private readonly List<(Parameter Parameter, Tensor Mask)> _masks = new();

    /// <param name="always">Parameters masked whatever their share of zeros (those iterative pruning is pruning).</param>
    public PrunedWeightMasks(IEnumerable<Parameter> parameters, double zeroFraction, IReadOnlySet<Parameter>? always = null)
    {
        using var _ = no_grad();
        foreach (var p in parameters)
        {
            using var zeros = p.eq(0);
            using var count = zeros.sum();
            var fraction = (double)count.item<long>() / Math.Max(1, p.numel());
            if (fraction >= zeroFraction || (always?.Contains(p) == true && count.item<long>() > 0))
            {
                var mask = zeros.logical_not().to_type(p.dtype);
                mask.DetachFromDisposeScope();
                _masks.Add((p, mask));
            }
        }
    }

    public int Count => _masks.Count;

    public void MaskGradients()
    {
        using var _ = no_grad();
        foreach (var (p, mask) in _masks)
        {
            p.grad?.mul_(mask);
        }
    }

    public void MaskWeights()
    {
        using var _ = no_grad();
        foreach (var (p, mask) in _masks)
        {
            p.mul_(mask);
        }
    }

    public void Dispose()
    {
        foreach (var (_, mask) in _masks)
        {
            mask.Dispose();
        }

        _masks.Clear();
    }
}
