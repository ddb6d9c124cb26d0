using System.Diagnostics;
using AdaDeep.Engine.Cache;
using AdaDeep.TestUtilities;
using Microsoft.Build.Framework;

namespace AdaDeep.Build.Tasks.Tests;

/// <summary>
/// The build task against a real nginx with WebDAV PUT (the Bazel HTTP cache protocol), each runner a separate project
/// folder and local cache, like two CI machines. Faults come from the server itself (damaged files in its folder, a
/// location that refuses PUT, a port nothing listens on) or from <see cref="FaultProxy"/> in front of it. Whatever the
/// server does, the build succeeds, with the right bytes, and a coded warning says what went wrong.
/// </summary>
public sealed class RemoteCacheTaskTests : IClassFixture<NginxWebDav>
{
    private readonly NginxWebDav _nginx;

    public RemoteCacheTaskTests(NginxWebDav nginx) => _nginx = nginx;

    [Fact]
    public void Miss_uploads_and_a_second_runner_gets_a_remote_hit_without_compressing()
    {
        var url = _nginx.NewCacheUrl();
        using var a = new TaskScratch();
        using var b = new TaskScratch();

        var first = Compress(a, url);
        Assert.True(first.Execute(), a.Engine.Log);
        Assert.Equal(1, a.ToolRuns);
        Assert.Empty(a.Engine.Warnings.Where(w => w.Code.StartsWith("ADA51", StringComparison.Ordinal)));
        var entry = Assert.Single(CacheStore.Open(a.CacheRoot).List());
        var stored = _nginx.Files(url);
        Assert.Contains("ac/" + entry.Key, stored);
        foreach (var sha in entry.Manifest.FileSha256.Values)
        {
            Assert.Contains("cas/" + sha, stored);
        }

        var second = Compress(b, url);
        Assert.True(second.Execute(), b.Engine.Log);
        Assert.Equal(0, b.ToolRuns);
        Assert.Equal(File.ReadAllBytes(Output(a)), File.ReadAllBytes(Output(b)));
        Assert.Contains(b.Engine.Messages, m => (m.Message ?? "").Contains("[remote cache hit"));
        Assert.Contains(b.Engine.Messages, m => (m.Message ?? "").Contains("1 hit(s), 0 miss(es), 0 upload(s)"));
        // The cached run's warning comes along, as on a local hit.
        Assert.Equal("ADA4099", Assert.Single(b.Engine.Warnings).Code);

        // The remote hit filled B's local cache: the next build there needs no server at all.
        Assert.Equal(entry.Manifest.ModelSha256, Assert.Single(CacheStore.Open(b.CacheRoot).List()).Manifest.ModelSha256);
        Directory.Delete(b.AdaDeepOutputs, recursive: true);
        var third = Compress(b, "http://127.0.0.1:" + NginxWebDav.FreePort() + "/");
        Assert.True(third.Execute(), b.Engine.Log);
        Assert.Contains(b.Engine.Messages, m => (m.Message ?? "").Contains("[cache hit"));
        Assert.DoesNotContain(b.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable);
    }

    [Fact]
    public void Read_only_runner_reads_but_never_writes()
    {
        var url = _nginx.NewCacheUrl();
        using var untrusted = new TaskScratch();
        var task = Compress(untrusted, url, readOnly: "true");
        Assert.True(task.Execute(), untrusted.Engine.Log);
        Assert.Equal(1, untrusted.ToolRuns);
        Assert.Empty(_nginx.Files(url));
        Assert.Contains(untrusted.Engine.Messages, m => (m.Message ?? "").Contains("(read-only): 0 hit(s), 1 miss(es), 0 upload(s)"));
        Assert.DoesNotContain(_nginx.AccessLog.Split('\n'), line => line.Contains("\"PUT " + new Uri(url).AbsolutePath));

        using var trusted = new TaskScratch();
        Assert.True(Compress(trusted, url).Execute(), trusted.Engine.Log);
        var files = _nginx.Files(url);
        Assert.NotEmpty(files);

        using var reader = new TaskScratch();
        Assert.True(Compress(reader, url, readOnly: "true").Execute(), reader.Engine.Log);
        Assert.Equal(0, reader.ToolRuns);
        Assert.Equal(files, _nginx.Files(url));
    }

    [Fact]
    public void Server_down_compresses_locally_with_a_warning()
    {
        using var scratch = new TaskScratch();
        var clock = Stopwatch.StartNew();
        var task = Compress(scratch, $"http://127.0.0.1:{NginxWebDav.FreePort()}/cache/");
        Assert.True(task.Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        var warning = Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable);
        Assert.Contains("after one retry", warning.Message);
        Assert.True(File.Exists(Output(scratch)));
        Assert.Single(CacheStore.Open(scratch.CacheRoot).List());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), clock.Elapsed.ToString());
    }

    [Fact]
    public void Server_errors_are_retried_once_then_the_build_compresses_locally()
    {
        var url = _nginx.NewCacheUrl();
        using var proxy = new FaultProxy(_nginx.BaseUrl) { Decide = (_, _) => Fault.ServerError };
        using var scratch = new TaskScratch();
        Assert.True(Compress(scratch, proxy.Url(url)).Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable && (w.Message ?? "").Contains("500"));
        // GET ac twice (one retry); no write is tried once the server is known to be failing.
        Assert.Equal(2, proxy.Log.Count);
        Assert.All(proxy.Log, l => Assert.StartsWith("GET ", l));
        Assert.Single(CacheStore.Open(scratch.CacheRoot).List());
    }

    [Fact]
    public void Slow_server_times_out_and_the_build_compresses_locally()
    {
        var url = _nginx.NewCacheUrl();
        using var proxy = new FaultProxy(_nginx.BaseUrl) { Decide = (_, _) => Fault.Delay, Delay = TimeSpan.FromSeconds(10) };
        using var scratch = new TaskScratch();
        var clock = Stopwatch.StartNew();
        Assert.True(Compress(scratch, proxy.Url(url), timeout: "0.5").Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable && (w.Message ?? "").Contains("timed out after 0.5 s"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), clock.Elapsed.ToString());
    }

    [Fact]
    public void Damaged_blob_on_the_server_is_a_miss_with_a_warning_and_never_reaches_the_build()
    {
        var url = _nginx.NewCacheUrl();
        using var a = new TaskScratch();
        Assert.True(Compress(a, url).Execute(), a.Engine.Log);
        var entry = Assert.Single(CacheStore.Open(a.CacheRoot).List());
        var blob = _nginx.PathOf(url, "cas/" + entry.Manifest.ModelSha256);
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(blob, bytes);

        using var b = new TaskScratch();
        Assert.True(Compress(b, url).Execute(), b.Engine.Log);
        Assert.Equal(1, b.ToolRuns);
        var warning = Assert.Single(b.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheEntryDamaged);
        Assert.Contains("SHA-256", warning.Message);
        Assert.Equal(File.ReadAllBytes(Output(a)), File.ReadAllBytes(Output(b)));
        Assert.Equal(entry.Manifest.ModelSha256, CacheKey.HashFile(Output(b)));
        Assert.Equal(entry.Manifest.ModelSha256, Assert.Single(CacheStore.Open(b.CacheRoot).List()).Manifest.ModelSha256);
    }

    [Fact]
    public void Bodies_corrupted_or_garbage_on_the_wire_are_misses()
    {
        var url = _nginx.NewCacheUrl();
        using var a = new TaskScratch();
        Assert.True(Compress(a, url).Execute(), a.Engine.Log);

        using var proxy = new FaultProxy(_nginx.BaseUrl) { Decide = (m, p) => p.Contains("/cas/") ? Fault.CorruptBody : Fault.None };
        using var b = new TaskScratch();
        Assert.True(Compress(b, proxy.Url(url)).Execute(), b.Engine.Log);
        Assert.Equal(1, b.ToolRuns);
        Assert.Single(b.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheEntryDamaged);
        Assert.Equal(File.ReadAllBytes(Output(a)), File.ReadAllBytes(Output(b)));

        // An action entry that is not an ActionResult.
        var key = Assert.Single(CacheStore.Open(a.CacheRoot).List()).Key;
        File.WriteAllBytes(_nginx.PathOf(url, "ac/" + key), new byte[] { 0x12, 0x7F, 0x01 });
        using var c = new TaskScratch();
        Assert.True(Compress(c, url, readOnly: "true").Execute(), c.Engine.Log);
        Assert.Equal(1, c.ToolRuns);
        Assert.Contains("not an ActionResult", Assert.Single(c.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheEntryDamaged).Message);
    }

    [Fact]
    public void Body_cut_short_once_is_retried_and_still_a_hit()
    {
        var url = _nginx.NewCacheUrl();
        using var a = new TaskScratch();
        Assert.True(Compress(a, url).Execute(), a.Engine.Log);

        var cut = 0;
        using var proxy = new FaultProxy(_nginx.BaseUrl) { Decide = (m, p) => p.Contains("/cas/") && Interlocked.Increment(ref cut) == 1 ? Fault.TruncateBody : Fault.None };
        using var b = new TaskScratch();
        Assert.True(Compress(b, proxy.Url(url), readOnly: "true").Execute(), b.Engine.Log);
        Assert.Equal(0, b.ToolRuns);
        Assert.DoesNotContain(b.Engine.Warnings, w => w.Code.StartsWith("ADA51", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(Output(a)), File.ReadAllBytes(Output(b)));
        Assert.Contains(proxy.Log, l => l.EndsWith("TruncateBody", StringComparison.Ordinal));
    }

    [Fact]
    public void Dropped_connections_every_time_fall_back_to_local()
    {
        using var server = new ClosingServer();
        using var scratch = new TaskScratch();
        Assert.True(Compress(scratch, server.Url + "cache/").Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public void Empty_answers_are_damaged_entries_not_hits()
    {
        var url = _nginx.NewCacheUrl();
        using var proxy = new FaultProxy(_nginx.BaseUrl) { Decide = (m, _) => m == "GET" ? Fault.EmptyOk : Fault.None };
        using var scratch = new TaskScratch();
        Assert.True(Compress(scratch, proxy.Url(url)).Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheEntryDamaged);
        Assert.True(File.Exists(Output(scratch)));
    }

    [Fact]
    public void Server_that_refuses_writes_keeps_the_result_local_with_a_warning()
    {
        var url = _nginx.NewCacheUrl("readonly/");
        using var scratch = new TaskScratch();
        Assert.True(Compress(scratch, url).Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        Assert.Contains("403", Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheWriteFailed).Message);
        Assert.Empty(_nginx.Files(url));
        Assert.Single(CacheStore.Open(scratch.CacheRoot).List());
    }

    [Fact]
    public void Concurrent_writers_of_one_key_all_succeed_and_leave_one_sound_entry()
    {
        var url = _nginx.NewCacheUrl();
        var scratches = Enumerable.Range(0, 4).Select(_ => new TaskScratch(FakeTool.Mode.Slow)).ToList();
        try
        {
            var tasks = scratches.Select(s => Compress(s, url)).ToList();
            var results = tasks.AsParallel().WithDegreeOfParallelism(4).Select(t => t.Execute()).ToList();
            Assert.All(results, Assert.True);
            var outputs = scratches.Select(s => File.ReadAllBytes(Output(s))).ToList();
            Assert.All(outputs, o => Assert.Equal(outputs[0], o));
            Assert.All(scratches, s => Assert.DoesNotContain(s.Engine.Warnings, w => w.Code.StartsWith("ADA51", StringComparison.Ordinal)));

            var files = _nginx.Files(url);
            Assert.Single(files, f => f.StartsWith("ac/", StringComparison.Ordinal));
            using var reader = new TaskScratch();
            Assert.True(Compress(reader, url, readOnly: "true").Execute(), reader.Engine.Log);
            Assert.Equal(0, reader.ToolRuns);
            Assert.Equal(outputs[0], File.ReadAllBytes(Output(reader)));
        }
        finally
        {
            scratches.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Bearer_token_comes_from_the_environment_and_never_reaches_the_log()
    {
        var url = _nginx.NewCacheUrl("auth/");
        using (var refused = new TaskScratch())
        {
            Assert.True(Compress(refused, url).Execute(), refused.Engine.Log);
            Assert.Contains("401", Assert.Single(refused.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable).Message);
        }

        Environment.SetEnvironmentVariable(RemoteCacheCredentials.TokenVariable, NginxWebDav.Token);
        try
        {
            using var a = new TaskScratch();
            Assert.True(Compress(a, url).Execute(), a.Engine.Log);
            Assert.NotEmpty(_nginx.Files(url));
            using var b = new TaskScratch();
            Assert.True(Compress(b, url).Execute(), b.Engine.Log);
            Assert.Equal(0, b.ToolRuns);
            var everything = string.Join("\n", b.Engine.Messages.Select(m => m.Message).Concat(a.Engine.Messages.Select(m => m.Message))
                .Concat(a.Engine.Warnings.Select(w => w.Message + w.File)));
            Assert.DoesNotContain(NginxWebDav.Token, everything);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RemoteCacheCredentials.TokenVariable, null);
        }
    }

    [Fact]
    public void Password_in_the_url_is_used_but_never_printed()
    {
        using var scratch = new TaskScratch();
        var task = Compress(scratch, $"http://ci:hunter2@127.0.0.1:{NginxWebDav.FreePort()}/cache/");
        Assert.True(task.Execute(), scratch.Engine.Log);
        var warning = Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable);
        var everything = string.Join("\n", scratch.Engine.Messages.Select(m => m.Message).Concat(scratch.Engine.Warnings.Select(w => w.Message + " " + w.File)));
        Assert.DoesNotContain("hunter2", everything);
        Assert.DoesNotContain("ci:", everything);
        Assert.StartsWith("http://127.0.0.1:", warning.File);
    }

    [Fact]
    public void Malformed_settings_warn_and_build_without_a_remote()
    {
        using var scratch = new TaskScratch();
        Assert.True(Compress(scratch, "ftp://secret@example/cache").Execute(), scratch.Engine.Log);
        var warning = Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheSettingsInvalid);
        Assert.DoesNotContain("secret", warning.Message);
        Assert.Equal(1, scratch.ToolRuns);
    }

    private static AdaDeepCompress Compress(TaskScratch scratch, string url, string? readOnly = null, string? timeout = null)
    {
        var task = scratch.Compress(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")));
        task.CacheUrl = url;
        task.CacheReadOnly = readOnly;
        task.CacheTimeoutSeconds = timeout ?? "10";
        return task;
    }

    private static string Output(TaskScratch scratch) => Path.Combine(scratch.AdaDeepOutputs, "sony-sw3", "AdaDeep.mlp.onnx");
}
