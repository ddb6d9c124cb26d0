using AdaDeep.Search.Core;
using TorchSharp;

namespace AdaDeep.Search.Dqn;

/// <summary>
/// The paper's DRL optimizer (section 4): episodes of ε-greedy choices by a <see cref="DqnAgent"/>, one gradient
/// step after each environment step, the final configuration of every episode recorded as a candidate. After the
/// episodes (unless the time budget is spent) one more episode runs with ε = 0 — the learned policy — and is
/// recorded as the last episode. Torch runs on one thread during the search (restored afterwards) so the same
/// inputs and seed give the same choices and the same bytes.
/// </summary>
public sealed class DqnStrategy : ISearchStrategy
{
    public string Id => "dqn";

    /// <summary>The configuration the learned policy chose in the final ε = 0 episode of the last search, if it ran.</summary>
    public IReadOnlyList<int>? LastPolicyConfiguration { get; private set; }

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        var options = o.Dqn.Validate();
        var log = new CandidateLog(Id, env, o);
        var schedule = EpsilonSchedule.For(options, o.Episodes);
        LastPolicyConfiguration = null;
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            using var agent = new DqnAgent(env.StateSize, env.Actions.Count, options, o.Seed);
            for (var episode = 0; episode < o.Episodes && !log.TimeIsUp(); episode++)
            {
                ct.ThrowIfCancellationRequested();
                var epsilon = schedule.At(episode);
                var reward = RunEpisode(env, agent, epsilon, learn: true, ct);
                log.RecordEpisode(env.Configuration, env.Metrics);
                log.Report(p, episode + 1, o.Episodes, reward, epsilon);
            }

            if (options.FinalPolicyRollout && !log.TimeIsUp())
            {
                ct.ThrowIfCancellationRequested();
                var reward = RunEpisode(env, agent, 0, learn: false, ct);
                LastPolicyConfiguration = env.Configuration.ToArray();
                log.RecordEpisode(env.Configuration, env.Metrics);
                log.Report(p, o.Episodes + 1, o.Episodes + 1, reward, 0);
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }

        return log.ToResult();
    }

    /// <summary>Plays one episode; stores and learns from its transitions when <paramref name="learn"/>. Returns the final configuration's reward.</summary>
    private static double RunEpisode(ISearchEnvironment env, DqnAgent agent, double epsilon, bool learn, CancellationToken ct)
    {
        var state = env.Reset();
        while (!env.IsDone)
        {
            ct.ThrowIfCancellationRequested();
            var legal = env.LegalActions();
            var action = agent.Act(state, legal, epsilon);
            var step = env.Step(action);
            if (learn)
            {
                agent.Remember(new Transition(state, action, (float)step.R1, (float)step.R2, step.State, step.Done,
                    LegalMask(step.Done ? Array.Empty<int>() : env.LegalActions(), env.Actions.Count)));
                agent.TrainIfReady();
            }

            state = step.State;
        }

        return env.Reward.Compute(env.Metrics).Total;
    }

    private static bool[] LegalMask(IReadOnlyList<int> legal, int actionCount)
    {
        var mask = new bool[actionCount];
        foreach (var a in legal)
        {
            mask[a] = true;
        }

        return mask;
    }
}
