namespace AdaDeep.Search.Tests.Toy;

/// <summary>A clock that only moves when told to, so time budgets are tested without wall time.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
