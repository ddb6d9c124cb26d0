namespace AdaDeep.Search.Core;

/// <summary>
/// What one step of an episode returns. R1 and R2 are the step's rewards: the change in the configuration's
/// reward (paper Eq. 8) that the action caused, so that the undiscounted sum over an episode is the final
/// configuration's reward minus the original model's. <see cref="ConfigurationReward"/> is the reward of the
/// configuration after the step (undecided layers left uncompressed).
/// </summary>
public sealed record StepResult(
    float[] State,
    double R1,
    double R2,
    bool Done,
    ConfigurationMetrics Metrics,
    RewardValue ConfigurationReward);
