namespace AdaDeep.Fuzz;

/// <summary>An accepted input whose result breaks a rule (a negative MAC count, an infinite latency…): a bug, like a crash.</summary>
public sealed class InvariantViolation : Exception
{
    public InvariantViolation(string message)
        : base(message)
    {
    }

    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantViolation(message);
        }
    }
}
