using TorchSharp;
using static TorchSharp.torch;

namespace AdaDeep.Search.Dqn;

/// <summary>
/// The DQN of paper Algorithm 1: an online network Q = G + H and a frozen target copy Q̄ synced every
/// <see cref="DqnOptions.TargetSyncSteps"/> gradient steps, a replay memory, and ε-greedy action choice restricted to
/// legal actions.
///
/// Training target (double DQN, paper Eq. 10): a* = argmax over legal a′ of Q(o′, a′) (online network), then
/// Q_tgt = R1 + R2 + γ·Q̄(o′, a*). We split it by column so each learns its own reward:
/// G_tgt = R1 + γ·Ḡ(o′, a*) and H_tgt = R2 + γ·H̄(o′, a*) (their sum is exactly Q_tgt), and minimise
/// (G(o, a) − G_tgt)² + (H(o, a) − H_tgt)² over a random mini-batch (Eq. 9, per column).
///
/// Determinism: the network is initialised after torch.manual_seed(seed); exploration and replay sampling use
/// their own System.Random seeded from the seed; the caller runs torch on one thread. Every training step and every
/// action choice runs in its own dispose scope, so no tensor outlives it.
/// </summary>
public sealed class DqnAgent : IDisposable
{
    private readonly DuelingQNetwork _online;
    private readonly DuelingQNetwork _target;
    private readonly optim.Optimizer _optimizer;
    private readonly ReplayMemory _memory;
    private readonly Random _explore;
    private readonly Random _replay;
    private readonly DqnOptions _options;
    private readonly int _stateSize;

    public DqnAgent(int stateSize, int actionCount, DqnOptions options, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(actionCount, 1);
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _stateSize = stateSize;
        ActionCount = actionCount;
        torch.manual_seed(seed);
        _online = new DuelingQNetwork(stateSize, actionCount, options.HiddenSize);
        _target = new DuelingQNetwork(stateSize, actionCount, options.HiddenSize);
        _target.CopyFrom(_online);
        _target.eval();
        _optimizer = optim.Adam(_online.parameters(), options.LearningRate);
        _memory = new ReplayMemory(options.ReplayCapacity);
        _explore = new Random(seed);
        _replay = new Random(unchecked(seed * 31 + 17));
    }

    public int ActionCount { get; }

    /// <summary>Gradient steps taken so far.</summary>
    public int TrainingSteps { get; private set; }

    public int MemoryCount => _memory.Count;

    /// <summary>G, H and Q = G + H of one state, for every action.</summary>
    public (float[] G, float[] H, float[] Q) Values(float[] state)
    {
        CheckState(state);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = torch.tensor(state, new long[] { 1, _stateSize });
        var (g, h) = _online.forward(input);
        var gv = g.data<float>().ToArray();
        var hv = h.data<float>().ToArray();
        var q = new float[gv.Length];
        for (var i = 0; i < q.Length; i++)
        {
            q[i] = gv[i] + hv[i];
        }

        return (gv, hv, q);
    }

    /// <summary>The legal action with the largest Q (ties: the first in <paramref name="legal"/>).</summary>
    public int Greedy(float[] state, IReadOnlyList<int> legal)
    {
        if (legal.Count == 0)
        {
            throw new ArgumentException("No legal action.", nameof(legal));
        }

        var q = Values(state).Q;
        var best = legal[0];
        foreach (var a in legal)
        {
            if (q[a] > q[best])
            {
                best = a;
            }
        }

        return best;
    }

    /// <summary>ε-greedy: a uniformly random legal action with probability ε, else <see cref="Greedy"/>.</summary>
    public int Act(float[] state, IReadOnlyList<int> legal, double epsilon)
    {
        if (legal.Count == 0)
        {
            throw new ArgumentException("No legal action.", nameof(legal));
        }

        return _explore.NextDouble() < epsilon ? legal[_explore.Next(legal.Count)] : Greedy(state, legal);
    }

    public void Remember(Transition transition)
    {
        CheckState(transition.State);
        CheckState(transition.NextState);
        _memory.Add(transition);
    }

    /// <summary>Runs the configured gradient steps if the memory is warm; returns the last loss, or null if none ran.</summary>
    public double? TrainIfReady()
    {
        if (_memory.Count < Math.Max(_options.WarmupTransitions, 1))
        {
            return null;
        }

        double? loss = null;
        for (var i = 0; i < _options.TrainStepsPerTransition; i++)
        {
            loss = TrainStep(_memory.Sample(_options.BatchSize, _replay));
        }

        return loss;
    }

    /// <summary>One gradient step on <paramref name="batch"/> (one dispose scope); returns the loss.</summary>
    public double TrainStep(IReadOnlyList<Transition> batch)
    {
        var n = batch.Count;
        var states = new float[n * _stateSize];
        var next = new float[n * _stateSize];
        var actions = new long[n];
        var r1 = new float[n];
        var r2 = new float[n];
        var notDone = new float[n];
        var legal = new bool[n * ActionCount];
        for (var i = 0; i < n; i++)
        {
            var t = batch[i];
            Array.Copy(t.State, 0, states, i * _stateSize, _stateSize);
            Array.Copy(t.NextState, 0, next, i * _stateSize, _stateSize);
            actions[i] = t.Action;
            r1[i] = t.R1;
            r2[i] = t.R2;
            notDone[i] = t.Done ? 0f : 1f;
            var any = false;
            for (var a = 0; a < ActionCount; a++)
            {
                var ok = !t.Done && a < t.NextLegal.Length && t.NextLegal[a];
                legal[i * ActionCount + a] = ok;
                any |= ok;
            }

            // A terminal o′ has no legal action; any index will do because its bootstrap is multiplied by 0.
            if (!any)
            {
                legal[i * ActionCount] = true;
            }
        }

        using var scope = torch.NewDisposeScope();
        var o = torch.tensor(states, new long[] { n, _stateSize });
        var oNext = torch.tensor(next, new long[] { n, _stateSize });
        var a0 = torch.tensor(actions, new long[] { n, 1 });
        var rewardG = torch.tensor(r1);
        var rewardH = torch.tensor(r2);
        var live = torch.tensor(notDone);
        var illegal = torch.tensor(legal, new long[] { n, ActionCount }).logical_not();

        // One online pass over o and o′ together: rows [0, n) are trained, rows [n, 2n) only pick a*.
        var (gAll, hAll) = _online.forward(torch.cat(new[] { o, oNext }, 0));
        var gTaken = gAll.narrow(0, 0, n).gather(1, a0).squeeze(1);
        var hTaken = hAll.narrow(0, 0, n).gather(1, a0).squeeze(1);
        Tensor targetG, targetH;
        using (torch.no_grad())
        {
            var qNext = (gAll.narrow(0, n, n) + hAll.narrow(0, n, n)).masked_fill(illegal, float.NegativeInfinity);
            var best = qNext.argmax(1, keepdim: true);
            var (gTarget, hTarget) = _target.forward(oNext);
            var gamma = (float)_options.Gamma;
            targetG = rewardG + gamma * live * gTarget.gather(1, best).squeeze(1);
            targetH = rewardH + gamma * live * hTarget.gather(1, best).squeeze(1);
        }

        var loss = nn.functional.mse_loss(gTaken, targetG) + nn.functional.mse_loss(hTaken, targetH);
        _optimizer.zero_grad();
        loss.backward();
        if (_options.GradientClipNorm > 0)
        {
            nn.utils.clip_grad_norm_(_online.parameters(), _options.GradientClipNorm);
        }

        _optimizer.step();
        TrainingSteps++;
        if (TrainingSteps % _options.TargetSyncSteps == 0)
        {
            _target.CopyFrom(_online);
        }

        return loss.item<float>();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _online.Dispose();
        _target.Dispose();
    }

    private void CheckState(float[] state)
    {
        if (state is null || state.Length != _stateSize)
        {
            throw new ArgumentException($"A state has {_stateSize} features; got {state?.Length ?? 0}.", nameof(state));
        }
    }
}
