namespace AdaDeep.Search.Dqn;

/// <summary>
/// Hyper-parameters of the DQN agent (paper section 4.3), with defaults chosen for episodes of a few to a few
/// dozen decision points. Immutable.
/// </summary>
public sealed record DqnOptions
{
    public static DqnOptions Default { get; } = new();

    /// <summary>Width of the shared trunk and of each column's hidden layer.</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// Discount γ. Paper: 0.01, which makes Q almost the immediate reward, i.e. a greedy agent that a myopic trap
    /// fools. Default 1.0: an episode is short and finite, and step rewards are changes of the configuration's
    /// reward, so the undiscounted return of an episode is exactly its final configuration's reward minus the
    /// original model's — the quantity the search maximises.
    /// </summary>
    public double Gamma { get; init; } = 1.0;

    /// <summary>Transitions per gradient step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Replay memory size; the oldest transitions are overwritten.</summary>
    public int ReplayCapacity { get; init; } = 10_000;

    /// <summary>Distinct transitions stored before training starts.</summary>
    public int WarmupTransitions { get; init; } = 32;

    /// <summary>
    /// Gradient steps after each new transition (a step the replay memory did not hold yet; revisited steps are
    /// exact duplicates and add nothing). Measuring a configuration is the expensive part of a real search (a
    /// rewrite, a quick fine-tune and an accuracy run, about a second) while a gradient step on this small network
    /// costs about a millisecond, so the agent trains hard on what it has measured.
    /// </summary>
    public int TrainStepsPerTransition { get; init; } = 16;

    /// <summary>
    /// Episodes answered entirely from the environment's cache (they measure nothing, cost next to nothing and do
    /// not count as episodes) allowed per requested episode; the search stops when they run out.
    /// </summary>
    public int ReplayEpisodesPerEpisode { get; init; } = 4;

    /// <summary>
    /// After an episode that measured nothing new, follow the learned policy with one deviation: the unmeasured
    /// configuration one action away from the policy's path whose Q is closest to the policy's choice.
    /// </summary>
    public bool NoveltyAfterReplay { get; init; } = true;

    /// <summary>
    /// Start with the paper's greedy optimizer (5.3.1) as a demonstrator: its layer-by-layer sweep is measured
    /// through the agent, so its trials fill the replay memory as ordinary transitions and compete as candidates.
    /// Each decision point swept counts as one episode. The agent then explores from the greedy path, and its answer
    /// is never worse than greedy's.
    /// </summary>
    public bool GreedyWarmStart { get; init; } = true;

    /// <summary>
    /// Planning (Dyna-Q): after the warm start and after every measuring episode, the agent plays this many episodes
    /// on an <see cref="AdditiveSurrogate"/> of what was measured (<see cref="PlanningEnvironment"/>) and learns from
    /// them — free episodes that spread what each measurement taught over the combinations not measured yet. 0 (the
    /// default): none — on the trap problem, whose layers interact, an additive model misled the agent (issue 24 notes).
    /// </summary>
    public int PlanningEpisodesPerEpisode { get; init; }

    /// <summary>ε of the planning episodes (they cost nothing, so they explore widely).</summary>
    public double PlanningEpsilon { get; init; } = 0.3;

    /// <summary>The target network Q̄ copies the online network every this many gradient steps.</summary>
    public int TargetSyncSteps { get; init; } = 100;

    /// <summary>ε at the first episode after the warm start (on 30 synthetic LeNet-like problems 1.0 left less regret than 0.2).</summary>
    public double EpsilonStart { get; init; } = 1.0;

    /// <summary>ε once decayed (paper: 0.001).</summary>
    public double EpsilonEnd { get; init; } = 0.001;

    /// <summary>Fraction of the (measuring) episodes over which ε anneals linearly from start to end.</summary>
    public double EpsilonDecayFraction { get; init; } = 0.7;

    /// <summary>Gradient norm clip (0: none).</summary>
    public double GradientClipNorm { get; init; } = 10.0;

    /// <summary>After the episodes, run one episode with ε = 0 (the learned policy) and record it as the last episode.</summary>
    public bool FinalPolicyRollout { get; init; } = true;

    public DqnOptions Validate()
    {
        if (HiddenSize < 1 || BatchSize < 1 || ReplayCapacity < BatchSize || TargetSyncSteps < 1 || TrainStepsPerTransition < 0
            || WarmupTransitions < 0 || ReplayEpisodesPerEpisode < 0 || LearningRate <= 0 || Gamma < 0 || Gamma > 1
            || EpsilonStart < 0 || EpsilonStart > 1 || EpsilonEnd < 0 || EpsilonEnd > EpsilonStart
            || EpsilonDecayFraction < 0 || EpsilonDecayFraction > 1 || GradientClipNorm < 0
            || PlanningEpisodesPerEpisode < 0 || PlanningEpsilon < 0 || PlanningEpsilon > 1)
        {
            throw new ArgumentException($"Invalid DQN options: {this}");
        }

        return this;
    }
}
