using TorchSharp;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// TorchSharp's intra-op thread count for a scope: set on entry when a count is given, restored on dispose (the count
/// is process-wide, and callers such as the search set their own).
/// </summary>
public sealed class TorchThreadScope : IDisposable
{
    private readonly int _before;

    private TorchThreadScope(int before) => _before = before;

    public static TorchThreadScope Use(int? threads)
    {
        var scope = new TorchThreadScope(torch.get_num_threads());
        if (threads is { } count)
        {
            torch.set_num_threads(count);
        }

        return scope;
    }

    public void Dispose() => torch.set_num_threads(_before);
}
