using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Tests.Cache;

/// <summary>
/// What <see cref="RemoteCache.TryFetch"/> accepts from a store, whatever it serves: action entries naming paths
/// outside the entry, hidden files, the manifest, or absurd sizes are damaged entries (ADA5102), never files on disk.
/// The store here is a dictionary: these cases are about the bytes served, not about the transport.
/// </summary>
public sealed class RemoteCacheEntryValidationTests : IDisposable
{
    private static readonly string Key = new('c', 64);
    private readonly string _root = Directory.CreateTempSubdirectory("adadeep-remote-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("../model.onnx")]
    [InlineData("sub/model.onnx")]
    [InlineData(".hidden")]
    [InlineData("manifest.json")]
    [InlineData("a\0b")]
    [InlineData("")]
    public void Entries_naming_anything_but_plain_file_names_are_damaged(string name)
    {
        var model = new byte[] { 1, 2, 3 };
        var store = new DictionaryStore();
        store.Blobs["cas/" + CacheKey.HashBytes(model)] = model;
        store.Blobs["ac/" + Key] = BazelActionResult.Encode(new[]
        {
            new BazelOutputFile("model.onnx", CacheKey.HashBytes(model), model.Length),
            new BazelOutputFile(name, CacheKey.HashBytes(model), model.Length),
        });

        var (files, warnings, staging) = Fetch(store);

        Assert.Null(files);
        Assert.Equal(ErrorCodes.RemoteCacheEntryDamaged, Assert.Single(warnings).Code);
        Assert.Empty(Directory.GetFileSystemEntries(staging));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(staging)!, "model.onnx")));
    }

    [Fact]
    public void A_digest_of_absurd_size_is_damaged_before_anything_is_downloaded()
    {
        var store = new DictionaryStore();
        store.Blobs["ac/" + Key] = BazelActionResult.Encode(new[] { new BazelOutputFile("model.onnx", new string('d', 64), RemoteCache.MaxBlobBytes + 1) });

        var (files, warnings, _) = Fetch(store);

        Assert.Null(files);
        Assert.Contains("GiB", Assert.Single(warnings).Message);
        Assert.Equal(new[] { "ac/" + Key }, store.Requests);
    }

    [Fact]
    public void A_sound_entry_is_fetched_and_verified_and_an_evicted_blob_is_a_plain_miss()
    {
        var model = new byte[] { 7, 7, 7, 7 };
        var store = new DictionaryStore();
        store.Blobs["cas/" + CacheKey.HashBytes(model)] = model;
        store.Blobs["ac/" + Key] = BazelActionResult.Encode(new[] { new BazelOutputFile("model.onnx", CacheKey.HashBytes(model), model.Length) });

        var (files, warnings, _) = Fetch(store);
        Assert.Empty(warnings);
        Assert.Equal(model, File.ReadAllBytes(files!["model.onnx"]));

        store.Blobs.Remove("cas/" + CacheKey.HashBytes(model));
        var (evicted, evictedWarnings, _) = Fetch(store);
        Assert.Null(evicted);
        Assert.Empty(evictedWarnings);
    }

    private (IReadOnlyDictionary<string, string>? Files, List<CacheWarning> Warnings, string Staging) Fetch(DictionaryStore store)
    {
        var warnings = new List<CacheWarning>();
        var staging = Path.Combine(_root, Guid.NewGuid().ToString("N"), "stage");
        Directory.CreateDirectory(staging);
        using var remote = new RemoteCache(store, readOnly: true, warnings.Add);
        var files = remote.TryFetch(Key, staging, CancellationToken.None);
        return (files, warnings, staging);
    }

    internal sealed class DictionaryStore : IRemoteBlobStore
    {
        public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);

        public List<string> Requests { get; } = new();

        public string DisplayName => "memory";

        public async Task<bool> GetAsync(string path, Stream destination, long maxBytes, CancellationToken cancellation)
        {
            Requests.Add(path);
            if (!Blobs.TryGetValue(path, out var bytes))
            {
                return false;
            }

            if (bytes.Length > maxBytes)
            {
                throw new InvalidDataException($"{path} is longer than expected");
            }

            await destination.WriteAsync(bytes, cancellation);
            return true;
        }

        public Task<bool> ExistsAsync(string path, CancellationToken cancellation) => Task.FromResult(Blobs.ContainsKey(path));

        public Task PutAsync(string path, Stream content, long length, CancellationToken cancellation)
        {
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            Blobs[path] = copy.ToArray();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
