using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaDeep.Search.Dqn;

/// <summary>
/// The network of paper Fig. 3 / Eq. 7: a shared trunk (parameters ω) followed by two columns, G (β) estimating
/// the objective-gain value and H (η) the constraint-satisfaction value of every action; Q = G + H.
/// trunk: Linear(state → hidden) · ReLU · Linear(hidden → hidden) · ReLU;
/// each column: Linear(hidden → hidden) · ReLU · Linear(hidden → actions).
/// </summary>
public sealed class DuelingQNetwork : nn.Module<Tensor, (Tensor G, Tensor H)>
{
    private readonly Sequential trunk;
    private readonly Sequential gain;
    private readonly Sequential constraint;

    public DuelingQNetwork(int stateSize, int actionCount, int hiddenSize)
        : base(nameof(DuelingQNetwork))
    {
        trunk = nn.Sequential(
            ("fc1", nn.Linear(stateSize, hiddenSize)),
            ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(hiddenSize, hiddenSize)),
            ("relu2", nn.ReLU()));
        gain = Column(hiddenSize, actionCount);
        constraint = Column(hiddenSize, actionCount);
        RegisterComponents();
    }

    /// <summary>G and H for a batch of states [batch, stateSize] → two [batch, actions] tensors.</summary>
    public override (Tensor G, Tensor H) forward(Tensor states)
    {
        using var features = trunk.forward(states);
        return (gain.forward(features), constraint.forward(features));
    }

    /// <summary>Copies every parameter of <paramref name="source"/> (same architecture) into this network.</summary>
    public void CopyFrom(DuelingQNetwork source)
    {
        using var noGrad = torch.no_grad();
        var from = source.parameters().ToArray();
        var to = parameters().ToArray();
        for (var i = 0; i < to.Length; i++)
        {
            to[i].copy_(from[i]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            trunk.Dispose();
            gain.Dispose();
            constraint.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Sequential Column(int hiddenSize, int actionCount) => nn.Sequential(
        ("fc", nn.Linear(hiddenSize, hiddenSize)),
        ("relu", nn.ReLU()),
        ("out", nn.Linear(hiddenSize, actionCount)));
}
