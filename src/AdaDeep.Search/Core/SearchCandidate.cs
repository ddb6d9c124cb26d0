namespace AdaDeep.Search.Core;

/// <summary>
/// One configuration a strategy measured: its action id per decision point, its metrics and reward, whether it
/// meets every budget the user set, and the episode (or evaluation) at which the strategy first saw it.
/// </summary>
public sealed record SearchCandidate(
    IReadOnlyList<string> Actions,
    ConfigurationMetrics Metrics,
    double R1,
    double R2,
    bool MeetsBudgets,
    int FirstSeenAt)
{
    public double Reward => R1 + R2;
}
