using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Tests.Cache;

public class CacheStoreTests
{
    private static string Key(char c) => new(c, 64);

    private static Dictionary<string, string> EntryFiles(ScratchFolder dir, string modelText = "model-bytes")
    {
        return new Dictionary<string, string>
        {
            [CacheStore.ModelFileName] = dir.File("out/model.onnx", modelText),
            [CacheStore.ResultJsonFileName] = dir.File("out/result.json", "{\"budgetsMet\": true}"),
            [CacheStore.ReportMarkdownFileName] = dir.File("out/report.md", "# report"),
        };
    }

    [Fact]
    public void Published_entry_round_trips_with_verified_hashes()
    {
        using var dir = new ScratchFolder();
        var store = CacheStore.Open(System.IO.Path.Combine(dir.Path, "cache"));
        Assert.Null(store.Warning);
        Assert.Null(store.TryGet(Key('a')));

        var published = store.Publish(Key('a'), EntryFiles(dir));
        var hit = store.TryGet(Key('a'));

        Assert.NotNull(hit);
        Assert.Equal(published.Directory, hit!.Directory);
        Assert.Equal(System.IO.Path.Combine(store.Root, "v1", Key('a')), hit.Directory);
        Assert.Equal("model-bytes", File.ReadAllText(hit.ModelPath));
        Assert.Equal("# report", File.ReadAllText(hit.FilePath(CacheStore.ReportMarkdownFileName)!));
        Assert.Equal(CacheKey.HashFile(hit.ModelPath), hit.Manifest.ModelSha256);
        Assert.True(File.Exists(System.IO.Path.Combine(hit.Directory, CacheStore.ManifestFileName)));
        Assert.Empty(Directory.GetDirectories(store.VersionDirectory, ".tmp-*"));
    }

    [Fact]
    public void Damaged_model_reads_as_a_miss_and_the_entry_is_removed()
    {
        using var dir = new ScratchFolder();
        var store = CacheStore.Open(System.IO.Path.Combine(dir.Path, "cache"));
        var entry = store.Publish(Key('b'), EntryFiles(dir));

        File.WriteAllText(entry.ModelPath, "model-bytez");

        Assert.Null(store.TryGet(Key('b')));
        Assert.False(Directory.Exists(entry.Directory));
    }

    [Fact]
    public void Entry_without_a_manifest_or_with_a_missing_file_is_a_miss()
    {
        using var dir = new ScratchFolder();
        var store = CacheStore.Open(System.IO.Path.Combine(dir.Path, "cache"));
        var withoutManifest = store.Publish(Key('c'), EntryFiles(dir));
        File.Delete(System.IO.Path.Combine(withoutManifest.Directory, CacheStore.ManifestFileName));
        var withoutReport = store.Publish(Key('d'), EntryFiles(dir));
        File.Delete(System.IO.Path.Combine(withoutReport.Directory, CacheStore.ReportMarkdownFileName));

        Assert.Null(store.TryGet(Key('c')));
        Assert.Null(store.TryGet(Key('d')));

        // A damaged entry is replaced by the next publish.
        var republished = store.Publish(Key('c'), EntryFiles(dir, "fresh"));
        Assert.Equal("fresh", File.ReadAllText(store.TryGet(Key('c'))!.ModelPath));
        Assert.Equal(republished.Directory, store.EntryDirectory(Key('c')));
    }

    [Fact]
    public async Task Concurrent_publishers_leave_exactly_one_entry()
    {
        using var dir = new ScratchFolder();
        var root = System.IO.Path.Combine(dir.Path, "cache");
        var filesA = EntryFiles(dir, "from-a");
        using var dirB = new ScratchFolder();
        var filesB = EntryFiles(dirB, "from-b");
        using var start = new ManualResetEventSlim(false);

        // Two stores on one root, as two build processes would have.
        var a = Task.Run(() => { start.Wait(); return CacheStore.Open(root).Publish(Key('e'), filesA); });
        var b = Task.Run(() => { start.Wait(); return CacheStore.Open(root).Publish(Key('e'), filesB); });
        start.Set();
        var results = await Task.WhenAll(a, b);

        var store = CacheStore.Open(root);
        var winner = File.ReadAllText(store.TryGet(Key('e'))!.ModelPath);
        Assert.Contains(winner, new[] { "from-a", "from-b" });
        Assert.All(results, r => Assert.Equal(winner, File.ReadAllText(r.ModelPath)));
        Assert.Single(store.List());
        Assert.Single(Directory.GetDirectories(store.VersionDirectory), d => !System.IO.Path.GetFileName(d).StartsWith(".", StringComparison.Ordinal));
        Assert.Empty(Directory.GetDirectories(store.VersionDirectory, ".tmp-*"));
    }

    [Fact]
    public void Second_publish_of_a_key_keeps_the_first_entry()
    {
        using var dir = new ScratchFolder();
        var store = CacheStore.Open(System.IO.Path.Combine(dir.Path, "cache"));
        store.Publish(Key('f'), EntryFiles(dir, "first"));
        using var other = new ScratchFolder();
        var second = store.Publish(Key('f'), EntryFiles(other, "second"));
        Assert.Equal("first", File.ReadAllText(second.ModelPath));
    }

    [Fact]
    public void Unwritable_root_warns_and_falls_back_to_a_temporary_folder()
    {
        using var dir = new ScratchFolder();
        // A file where the cache folder should be: unwritable even for root, unlike permission bits.
        var blocked = dir.File("not-a-folder", "x");
        var store = CacheStore.Open(System.IO.Path.Combine(blocked, "cache"));

        Assert.NotNull(store.Warning);
        Assert.Equal(CacheStore.CacheUnavailableCode, store.Warning!.Code);
        Assert.Equal(AdaDeep.Onnx.Diagnostics.ErrorCodes.CacheUnavailable, store.Warning.Code);
        Assert.StartsWith(System.IO.Path.GetTempPath(), store.Root);
        Assert.Contains("warning ADA5001", store.Warning.ToString());

        // The fallback works like any store.
        var key = CacheKey.HashBytes(Guid.NewGuid().ToByteArray());
        store.Publish(key, EntryFiles(dir));
        Assert.NotNull(store.TryGet(key));
        Directory.Delete(store.EntryDirectory(key), recursive: true);
    }

    [Fact]
    public void Root_comes_from_explicit_then_environment_then_user_cache()
    {
        var saved = Environment.GetEnvironmentVariable(CacheStore.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(CacheStore.EnvironmentVariable, "/tmp/from-env");
            Assert.Equal(System.IO.Path.GetFullPath("/tmp/explicit"), CacheStore.ResolveRoot("/tmp/explicit"));
            Assert.Equal(System.IO.Path.GetFullPath("/tmp/from-env"), CacheStore.ResolveRoot(null));
            Environment.SetEnvironmentVariable(CacheStore.EnvironmentVariable, null);
            Assert.EndsWith("adadeep", CacheStore.ResolveRoot(null).TrimEnd('/'));
        }
        finally
        {
            Environment.SetEnvironmentVariable(CacheStore.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public void Publish_rejects_entries_without_a_model_or_with_path_names()
    {
        using var dir = new ScratchFolder();
        var store = CacheStore.Open(System.IO.Path.Combine(dir.Path, "cache"));
        var report = dir.File("r.md", "x");
        Assert.Throws<ArgumentException>(() => store.Publish(Key('1'), new Dictionary<string, string> { ["report.md"] = report }));
        Assert.Throws<ArgumentException>(() => store.Publish(Key('1'), new Dictionary<string, string> { ["model.onnx"] = report, ["../x"] = report }));
        Assert.Throws<ArgumentException>(() => store.EntryDirectory("../../etc"));
    }

    [Fact]
    public void Prune_by_age_and_size_and_clear()
    {
        using var dir = new ScratchFolder();
        var store = CacheStore.Open(System.IO.Path.Combine(dir.Path, "cache"));
        var old = store.Publish(Key('2'), EntryFiles(dir, new string('o', 1000)));
        var middle = store.Publish(Key('3'), EntryFiles(dir, new string('m', 1000)));
        var recent = store.Publish(Key('4'), EntryFiles(dir, new string('r', 1000)));
        Directory.SetLastWriteTimeUtc(old.Directory, DateTime.UtcNow.AddDays(-30));
        Directory.SetLastWriteTimeUtc(middle.Directory, DateTime.UtcNow.AddDays(-2));
        Directory.SetLastWriteTimeUtc(recent.Directory, DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal(new[] { Key('4'), Key('3'), Key('2') }, store.List().Select(e => e.Key));

        var byAge = store.Prune(olderThan: TimeSpan.FromDays(7));
        Assert.Equal(new[] { Key('2') }, byAge.Select(e => e.Key));

        var bySize = store.Prune(maxBytes: recent.SizeBytes);
        Assert.Equal(new[] { Key('3') }, bySize.Select(e => e.Key));
        Assert.Equal(new[] { Key('4') }, store.List().Select(e => e.Key));

        // A locked entry (being written or read by another build) survives clear.
        using (store.AcquireLock(Key('4'), TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            Assert.Empty(store.Clear());
        }

        Assert.Single(store.Clear());
        Assert.Empty(store.List());
    }

    [Fact]
    public void Hit_refreshes_the_last_used_time()
    {
        using var dir = new ScratchFolder();
        var store = CacheStore.Open(System.IO.Path.Combine(dir.Path, "cache"));
        var entry = store.Publish(Key('5'), EntryFiles(dir));
        Directory.SetLastWriteTimeUtc(entry.Directory, DateTime.UtcNow.AddDays(-30));
        store.TryGet(Key('5'));
        Assert.True(DateTime.UtcNow - Directory.GetLastWriteTimeUtc(entry.Directory) < TimeSpan.FromDays(1));
    }
}
