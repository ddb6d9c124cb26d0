namespace AdaDeep.Search.Core;

/// <summary>R1 (objective gain, trains the G column) and R2 (constraint satisfaction, trains the H column).</summary>
public readonly record struct RewardValue(double R1, double R2)
{
    public double Total => R1 + R2;

    public static RewardValue operator -(RewardValue a, RewardValue b) => new(a.R1 - b.R1, a.R2 - b.R2);
}
