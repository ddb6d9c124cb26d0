namespace AdaDeep.Search.Dqn;

/// <summary>Fixed-size ring buffer of transitions, sampled uniformly (with replacement) by a seeded System.Random.</summary>
public sealed class ReplayMemory
{
    private readonly Transition[] _items;
    private int _next;

    public ReplayMemory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new Transition[capacity];
    }

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    public void Add(Transition transition)
    {
        _items[_next] = transition ?? throw new ArgumentNullException(nameof(transition));
        _next = (_next + 1) % _items.Length;
        Count = Math.Min(Count + 1, _items.Length);
    }

    public Transition[] Sample(int batchSize, Random rng)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The replay memory is empty.");
        }

        var batch = new Transition[batchSize];
        for (var i = 0; i < batchSize; i++)
        {
            batch[i] = _items[rng.Next(Count)];
        }

        return batch;
    }
}
