using AdaDeep.Onnx.Model;

namespace AdaDeep.Search.Environments;

/// <summary>A small least-recently-used cache of rewritten models keyed by configuration key.</summary>
internal sealed class ModelCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, OnnxModel Model)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, OnnxModel Model)> _order = new();

    public int Count => _map.Count;

    public bool TryGet(string key, out OnnxModel model)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            model = node.Value.Model;
            return true;
        }

        model = null!;
        return false;
    }

    public void Add(string key, OnnxModel model)
    {
        if (capacity <= 0 || _map.ContainsKey(key))
        {
            return;
        }

        _map[key] = _order.AddFirst((key, model));
        while (_map.Count > capacity)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _map.Remove(last.Value.Key);
        }
    }
}
