namespace AdaDeep.Fuzz;

public enum OutcomeKind
{
    Accepted,
    Rejected,
    Failed,
}

/// <summary>
/// What one input did: accepted, rejected with a documented code, or failed — an exception other than
/// AdaDeepException, an undocumented code, a rejection that names no file, a broken invariant, a hang, or an allocation
/// beyond the limit. <see cref="Signature"/> groups failures with the same cause.
/// </summary>
public sealed record FuzzOutcome(OutcomeKind Kind, string? Code = null, string? Signature = null, string? Detail = null)
{
    public static FuzzOutcome Accepted { get; } = new(OutcomeKind.Accepted);

    public static FuzzOutcome Rejected(string code) => new(OutcomeKind.Rejected, code);

    public static FuzzOutcome Failed(string signature, string detail) => new(OutcomeKind.Failed, Signature: signature, Detail: detail);
}
