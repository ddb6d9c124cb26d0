using AdaDeep.Compression.Torch;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Dqn;

/// <summary>
/// The paper's DRL optimizer (section 4): episodes of ε-greedy choices by a <see cref="DqnAgent"/> that learns from
/// the per-step rewards (R1 trains G, R2 trains H). Built around what costs what in a real search: measuring a
/// configuration the environment has not seen (a rewrite, a quick fine-tune, an accuracy run) is expensive, while
/// revisiting one is free (the environment caches it) and a gradient step costs about a millisecond.
/// <list type="bullet">
/// <item><description>It starts with the paper's greedy sweep (5.3.1) measured through the agent
/// (<see cref="DqnOptions.GreedyWarmStart"/>): its trials are the first transitions and candidates, one episode per
/// decision point swept, so the agent starts from a layer-by-layer picture of every technique and its answer is never
/// worse than greedy's.</description></item>
/// <item><description><see cref="SearchOptions.Episodes"/> counts <b>measuring</b> episodes: episodes that measured at
/// least one configuration never measured before. An episode answered entirely from the cache (a "replay") costs
/// nothing and does not count; the search ends after <see cref="MaxConsecutiveReplays"/> in a row or
/// <see cref="DqnOptions.ReplayEpisodesPerEpisode"/> × Episodes in all.
/// ε anneals over the measuring episodes.</description></item>
/// <item><description>The replay memory keeps each distinct transition once (the environment is deterministic, so a
/// revisited step is an exact duplicate) and the agent takes <see cref="DqnOptions.TrainStepsPerTransition"/> gradient
/// steps per new transition: learning scales with what was measured, not with how often it was revisited.</description></item>
/// <item><description>After a replay, the next episode follows the learned policy (ε = 0) with one deviation: the
/// legal action, at the decision point on the policy's path, whose Q is closest below the policy's choice among those
/// that lead to a configuration not yet measured (<see cref="DqnOptions.NoveltyAfterReplay"/>). So an agent that has
/// converged spends the remaining measurements next to its policy, in the order its Q ranks them, instead of
/// replaying the same configuration.</description></item>
/// <item><description>Every configuration an episode passes through (each step's prefix, the rest left "none") has
/// been measured and competes for <see cref="SearchResult.Best"/> — the final answer is the best measured
/// configuration by the <see cref="CandidateLog"/> ranking, never worse than one the agent saw.</description></item>
/// </list>
/// After the episodes (unless the time budget is spent) one more episode runs with ε = 0 — the learned policy — and
/// is recorded as the last episode. Torch runs on one thread during the search (restored afterwards) so the same
/// inputs and seed give the same choices and the same bytes.
/// </summary>
public sealed class DqnStrategy : ISearchStrategy
{
    /// <summary>
    /// Replays in a row after which the search ends: the policy's neighbourhood is measured and random exploration
    /// keeps landing on measured configurations, so the space (or what ε lets the agent reach of it) is exhausted.
    /// </summary>
    public const int MaxConsecutiveReplays = 32;

    public string Id => "dqn";

    /// <summary>The configuration the learned policy chose in the final ε = 0 episode of the last search, if it ran.</summary>
    public IReadOnlyList<int>? LastPolicyConfiguration { get; private set; }

    /// <summary>Episodes of the last search that measured something new (at most <see cref="SearchOptions.Episodes"/>).</summary>
    public int MeasuringEpisodes { get; private set; }

    /// <summary>Decision points the greedy warm start of the last search swept (each counts as a measuring episode).</summary>
    public int WarmStartSweeps { get; private set; }

    /// <summary>Episodes of the last search answered entirely from the environment's cache.</summary>
    public int ReplayEpisodes { get; private set; }

    /// <summary>Episodes of the last search played on the surrogate (<see cref="DqnOptions.PlanningEpisodesPerEpisode"/>).</summary>
    public int PlanningEpisodes { get; private set; }

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        var options = o.Dqn.Validate();
        var log = new CandidateLog(Id, env, o);
        var schedule = EpsilonSchedule.For(options, o.Episodes);
        LastPolicyConfiguration = null;
        MeasuringEpisodes = 0;
        WarmStartSweeps = 0;
        ReplayEpisodes = 0;
        PlanningEpisodes = 0;
        using (TorchThreadScope.Use(1)) // the agent's small networks train on one thread; the caller's count comes back after
        {
            using var agent = new DqnAgent(env.StateSize, env.Actions.Count, options, o.Seed);
            var surrogate = options.PlanningEpisodesPerEpisode > 0 ? new AdditiveSurrogate(env.OriginalMetrics) : null;
            var run = new Run(env, agent, log, ct, surrogate);
            void Plan()
            {
                if (surrogate is null)
                {
                    return;
                }

                var planning = new PlanningEnvironment(env, surrogate);
                var dream = new Run(planning, agent, new CandidateLog("planning", planning, o), ct, null);
                for (var k = 0; k < options.PlanningEpisodesPerEpisode; k++)
                {
                    dream.Episode(options.PlanningEpsilon, null, learn: true);
                }

                PlanningEpisodes += options.PlanningEpisodesPerEpisode;
            }

            var maxReplays = (long)o.Episodes * options.ReplayEpisodesPerEpisode;
            var lastWasReplay = false;
            var replaysInARow = 0;
            if (options.GreedyWarmStart)
            {
                WarmStartSweeps = MeasuringEpisodes = run.GreedyWarmStart(o.Episodes, p, o.Episodes);
                Plan();
                lastWasReplay = true; // the policy now follows the sweep's path, which is measured: deviate from it
            }

            while (MeasuringEpisodes < o.Episodes && !log.TimeIsUp())
            {
                ct.ThrowIfCancellationRequested();
                var epsilon = schedule.At(MeasuringEpisodes);
                Deviation? deviation = null;
                if (lastWasReplay && options.NoveltyAfterReplay)
                {
                    deviation = run.PlanNovelty();
                    if (deviation is null)
                    {
                        epsilon = 1; // every configuration next to the policy is measured: explore at random
                    }
                }

                var (reward, measured) = run.Episode(epsilon, deviation, learn: true);
                log.RecordEpisode(env.Configuration, env.Metrics);
                lastWasReplay = measured == 0;
                if (lastWasReplay)
                {
                    ReplayEpisodes++;
                    if (++replaysInARow >= MaxConsecutiveReplays || ReplayEpisodes >= maxReplays)
                    {
                        break;
                    }

                    continue;
                }

                replaysInARow = 0;
                MeasuringEpisodes++;
                Plan();
                log.Report(p, MeasuringEpisodes, o.Episodes, reward, deviation is null ? epsilon : 0);
            }

            if (options.FinalPolicyRollout && !log.TimeIsUp())
            {
                ct.ThrowIfCancellationRequested();
                var (reward, _) = run.Episode(0, null, learn: false);
                LastPolicyConfiguration = env.Configuration.ToArray();
                log.RecordEpisode(env.Configuration, env.Metrics);
                log.Report(p, o.Episodes, o.Episodes, reward, 0, isFinalPolicy: true);
            }
        }

        return log.ToResult();
    }

    /// <summary>Take <see cref="Action"/> instead of the policy's choice at decision point <see cref="Position"/>.</summary>
    private sealed record Deviation(int Position, int Action);

    /// <summary>The state of one search: which configurations are measured and which transitions are stored.</summary>
    private sealed class Run(ISearchEnvironment env, DqnAgent agent, CandidateLog log, CancellationToken ct, AdditiveSurrogate? surrogate)
    {
        // Canonical keys of the configurations measured so far (the original, all "none", needs no measurement).
        private readonly HashSet<string> _measured = new(StringComparer.Ordinal) { string.Empty };

        // Transitions stored, keyed by the exact prefix and action (a prefix ending in "none" measures the same
        // configuration as the shorter one, but is a different state-action pair).
        private readonly HashSet<string> _transitions = new(StringComparer.Ordinal);

        /// <summary>
        /// Plays one episode: ε-greedy, or the policy with <paramref name="deviation"/>. Stores and learns from each
        /// transition not stored before when <paramref name="learn"/>; records every measured prefix as a candidate.
        /// Returns the final configuration's reward and how many configurations it measured for the first time.
        /// </summary>
        public (double Reward, int Measured) Episode(double epsilon, Deviation? deviation, bool learn)
        {
            var state = env.Reset();
            var measured = 0;
            var seenAt = log.EpisodeRewards.Count + 1;
            while (!env.IsDone)
            {
                ct.ThrowIfCancellationRequested();
                var position = env.Configuration.Count;
                var legal = env.LegalActions();
                var action = deviation is not null && deviation.Position == position ? deviation.Action
                    : deviation is not null ? agent.Greedy(state, legal)
                    : agent.Act(state, legal, epsilon);
                var step = Take(state, action, seenAt, learn, out var isNew);
                measured += isNew ? 1 : 0;
                state = step.State;
            }

            return (env.Reward.Compute(env.Metrics).Total, measured);
        }

        /// <summary>
        /// The paper's greedy optimizer (5.3.1) as a demonstrator: layer by layer, every legal action after the best
        /// prefix so far is measured, stored as a transition (state at the prefix, action, R1, R2, next state) and
        /// recorded as a candidate, and the best kept; it stops where <see cref="Strategies.GreedyStrategy"/> stops.
        /// Each decision point swept counts as one measuring episode (at most <paramref name="maxSweeps"/>).
        /// Returns the number of sweeps.
        /// </summary>
        public int GreedyWarmStart(int maxSweeps, IProgress<SearchProgress>? progress, int totalEpisodes)
        {
            var prefix = new List<int>();
            var current = env.OriginalMetrics;
            var sweeps = 0;
            for (var position = 0; position < env.DecisionPoints.Count && sweeps < maxSweeps && !log.TimeIsUp(); position++)
            {
                ct.ThrowIfCancellationRequested();
                var bestAction = SearchActions.NoneIndex;
                ConfigurationMetrics? bestMetrics = null;
                var bestReward = double.NegativeInfinity;
                foreach (var action in env.LegalActions(prefix))
                {
                    var state = env.Reset();
                    foreach (var a in prefix)
                    {
                        state = env.Step(a).State; // measured already: answered from the cache
                    }

                    var step = Take(state, action, log.EpisodeRewards.Count + 1, learn: true, out _);
                    var reward = step.ConfigurationReward.Total;
                    if (reward > bestReward)
                    {
                        (bestAction, bestMetrics, bestReward) = (action, step.Metrics, reward);
                    }

                    // One sweep of a large layer can outlast the whole cap (each candidate a quick fine-tune): stop mid-sweep.
                    if (log.TimeIsUp())
                    {
                        break;
                    }
                }

                sweeps++;
                log.Report(progress, sweeps, totalEpisodes, bestReward, 0);
                if (bestMetrics is null
                    || (!env.Reward.IsOverConstraintBudget(current) && env.Reward.IsOverConstraintBudget(bestMetrics)))
                {
                    break;
                }

                prefix.Add(bestAction);
                current = bestMetrics;
            }

            // The greedy path is the warm start's one episode (its reward and its place in the episode list).
            log.RecordEpisode(prefix, current);
            return sweeps;
        }

        /// <summary>
        /// Walks the policy's path (ε = 0) while it stays on measured configurations (free: the environment answers
        /// from its cache) and returns the deviation to an unmeasured configuration with the smallest Q gap below the
        /// policy's choice; a deviation that is not needed (the policy itself reaches something unmeasured) is null
        /// with the policy's first unmeasured step, and null overall when every one-step deviation is measured.
        /// </summary>
        public Deviation? PlanNovelty()
        {
            var state = env.Reset();
            Deviation? best = null;
            var bestGap = double.PositiveInfinity;
            while (!env.IsDone)
            {
                ct.ThrowIfCancellationRequested();
                var position = env.Configuration.Count;
                var legal = env.LegalActions();
                var q = agent.Values(state).Q;
                var greedy = agent.Greedy(state, legal);
                var prefix = env.Configuration.ToList();
                foreach (var a in legal)
                {
                    if (a == greedy)
                    {
                        continue;
                    }

                    prefix.Add(a);
                    var unmeasured = !_measured.Contains(SearchActions.Key(prefix));
                    prefix.RemoveAt(prefix.Count - 1);
                    var gap = (double)q[greedy] - q[a];
                    if (unmeasured && gap < bestGap)
                    {
                        (best, bestGap) = (new Deviation(position, a), gap);
                    }
                }

                prefix.Add(greedy);
                if (!_measured.Contains(SearchActions.Key(prefix)))
                {
                    // The policy leaves the measured configurations by itself from here: follow it unchanged.
                    return new Deviation(position, greedy);
                }

                state = env.Step(greedy).State;
            }

            return best;
        }

        /// <summary>
        /// Steps the environment; notes whether that measured a new configuration, records it as a candidate, and
        /// stores and learns from the transition if it is new and <paramref name="learn"/>.
        /// </summary>
        private StepResult Take(float[] state, int action, int seenAt, bool learn, out bool measuredNew)
        {
            var transitionKey = string.Join(",", env.Configuration) + "|" + action;
            var before = env.Metrics;
            var step = env.Step(action);
            surrogate?.Observe(env.Configuration, before, step.Metrics);
            measuredNew = _measured.Add(SearchActions.Key(env.Configuration));
            log.Record(env.Configuration, step.Metrics, seenAt);
            if (learn && _transitions.Add(transitionKey))
            {
                agent.Remember(new Transition(state, action, (float)step.R1, (float)step.R2, step.State, step.Done,
                    LegalMask(step.Done ? Array.Empty<int>() : env.LegalActions(), env.Actions.Count)));
                agent.TrainIfReady();
            }

            return step;
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
}
