using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Tests.Cache;

/// <summary>What a runner shares: a result a time cap cut (ADA4005) depends on the machine's speed, so it stays local
/// (ADA5105); any other result is uploaded.</summary>
public sealed class RemoteCacheSharingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("adadeep-share-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Results_a_time_cap_cut_are_not_shared(bool cut)
    {
        var key = new string(cut ? 'a' : 'b', 64);
        var model = Path.Combine(_root, "model.onnx");
        File.WriteAllBytes(model, new byte[] { 1, 2, 3 });
        var result = Path.Combine(_root, "result.json");
        File.WriteAllText(result, cut
            ? "{\"warnings\":[\"m.onnx: warning ADA4005: the search time budget (180 s) ended the search early\"]}"
            : "{\"warnings\":[]}");
        var entry = CacheStore.Open(Path.Combine(_root, "cache")).Publish(key, new Dictionary<string, string>
        {
            [CacheStore.ModelFileName] = model,
            [CacheStore.ResultJsonFileName] = result,
        });

        var store = new RemoteCacheEntryValidationTests.DictionaryStore();
        var warnings = new List<CacheWarning>();
        using (var remote = new RemoteCache(store, readOnly: false, warnings.Add))
        {
            remote.Upload(entry, CancellationToken.None);
        }

        Assert.Equal(!cut, store.Blobs.ContainsKey("ac/" + key));
        if (cut)
        {
            Assert.Empty(store.Blobs);
            Assert.Equal(ErrorCodes.RemoteCacheNotShared, Assert.Single(warnings).Code);
        }
        else
        {
            Assert.Empty(warnings);
        }
    }
}
