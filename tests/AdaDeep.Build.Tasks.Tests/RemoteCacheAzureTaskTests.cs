using System.Diagnostics;
using AdaDeep.Cache.Azure;
using AdaDeep.Engine.Cache;
using AdaDeep.TestUtilities;
using Azure.Storage.Blobs;

namespace AdaDeep.Build.Tasks.Tests;

/// <summary>
/// The build task against Azurite (azblob://account/container): the same guarantees as over HTTP — a second runner
/// gets a verified hit without compressing, read-only never writes, and every server fault is a warning, never a
/// failed or damaged build. The connection string comes from the environment, as in CI; the process environment is
/// shared, so this class runs in the collection of AzureCacheBuildEndToEndTests, which sets it too, never beside it.
/// </summary>
[Collection(EndToEnd.EndToEndCollection.Name)]
public sealed class RemoteCacheAzureTaskTests : IClassFixture<AzuriteServer>, IDisposable
{
    private readonly AzuriteServer _azurite;

    public RemoteCacheAzureTaskTests(AzuriteServer azurite)
    {
        _azurite = azurite;
        Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, azurite.ConnectionString);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, null);

    [Fact]
    public void Miss_uploads_and_a_second_runner_gets_a_verified_remote_hit()
    {
        var url = AzuriteServer.NewCacheUrl() + "team/";
        using var a = new TaskScratch();
        Assert.True(Compress(a, url).Execute(), a.Engine.Log);
        Assert.Equal(1, a.ToolRuns);
        Assert.DoesNotContain(a.Engine.Warnings, w => w.Code.StartsWith("ADA51", StringComparison.Ordinal));
        var entry = Assert.Single(CacheStore.Open(a.CacheRoot).List());
        var blobs = Blobs(url);
        Assert.Contains("team/ac/" + entry.Key, blobs);
        Assert.All(entry.Manifest.FileSha256.Values, sha => Assert.Contains("team/cas/" + sha, blobs));

        using var b = new TaskScratch();
        Assert.True(Compress(b, url).Execute(), b.Engine.Log);
        Assert.Equal(0, b.ToolRuns);
        Assert.Contains(b.Engine.Messages, m => (m.Message ?? "").Contains("[remote cache hit"));
        Assert.Equal(File.ReadAllBytes(Output(a)), File.ReadAllBytes(Output(b)));
        var everything = string.Join("\n", b.Engine.Messages.Select(m => m.Message).Concat(a.Engine.Messages.Select(m => m.Message)));
        Assert.DoesNotContain("AccountKey", everything);
    }

    [Fact]
    public void Read_only_never_writes_and_damaged_blobs_are_misses()
    {
        var url = AzuriteServer.NewCacheUrl();
        using var untrusted = new TaskScratch();
        Assert.True(Compress(untrusted, url, readOnly: "true").Execute(), untrusted.Engine.Log);
        Assert.Equal(1, untrusted.ToolRuns);
        Assert.False(Container(url).Exists().Value);

        using var a = new TaskScratch();
        Assert.True(Compress(a, url).Execute(), a.Engine.Log);
        var entry = Assert.Single(CacheStore.Open(a.CacheRoot).List());
        var blob = Container(url).GetBlobClient("cas/" + entry.Manifest.ModelSha256);
        var bytes = blob.DownloadContent().Value.Content.ToArray();
        bytes[bytes.Length / 2] ^= 0xFF;
        blob.Upload(new BinaryData(bytes), overwrite: true);

        using var b = new TaskScratch();
        Assert.True(Compress(b, url, readOnly: "true").Execute(), b.Engine.Log);
        Assert.Equal(1, b.ToolRuns);
        Assert.Contains("SHA-256", Assert.Single(b.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheEntryDamaged).Message);
        Assert.Equal(File.ReadAllBytes(Output(a)), File.ReadAllBytes(Output(b)));
    }

    [Fact]
    public void Endpoint_down_slow_or_failing_compresses_locally_with_a_warning()
    {
        var down = $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.Account};AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:{NginxWebDav.FreePort()}/{AzuriteServer.Account};";
        Expect(down, null, "after one retry");

        using var slow = new FaultProxy($"http://127.0.0.1:{_azurite.Port}/") { Decide = (_, _) => Fault.Delay, Delay = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        Expect(_azurite.ConnectionString.Replace($":{_azurite.Port}/", $":{slow.Port}/"), "0.5", "timed out after 0.5 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), clock.Elapsed.ToString());

        using var failing = new FaultProxy($"http://127.0.0.1:{_azurite.Port}/") { Decide = (_, _) => Fault.ServerError };
        Expect(_azurite.ConnectionString.Replace($":{_azurite.Port}/", $":{failing.Port}/"), null, "500");
    }

    [Fact]
    public void Concurrent_writers_of_one_key_all_succeed_and_leave_one_sound_entry()
    {
        var url = AzuriteServer.NewCacheUrl();
        var scratches = Enumerable.Range(0, 4).Select(_ => new TaskScratch(FakeTool.Mode.Slow)).ToList();
        try
        {
            var results = scratches.Select(s => Compress(s, url)).ToList().AsParallel().WithDegreeOfParallelism(4).Select(t => t.Execute()).ToList();
            Assert.All(results, Assert.True);
            Assert.All(scratches, s => Assert.DoesNotContain(s.Engine.Warnings, w => w.Code.StartsWith("ADA51", StringComparison.Ordinal)));
            Assert.Single(Blobs(url), b => b.StartsWith("ac/", StringComparison.Ordinal));
            using var reader = new TaskScratch();
            Assert.True(Compress(reader, url, readOnly: "true").Execute(), reader.Engine.Log);
            Assert.Equal(0, reader.ToolRuns);
            Assert.Equal(File.ReadAllBytes(Output(scratches[0])), File.ReadAllBytes(Output(reader)));
        }
        finally
        {
            scratches.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Sas_tokens_work_and_a_read_only_token_turns_writes_into_a_warning()
    {
        var url = AzuriteServer.NewCacheUrl();
        var service = new BlobServiceClient(_azurite.ConnectionString);
        string Sas(Azure.Storage.Sas.AccountSasPermissions permissions) => service.GenerateAccountSasUri(permissions,
            DateTimeOffset.UtcNow.AddHours(1), Azure.Storage.Sas.AccountSasResourceTypes.All).Query.TrimStart('?');
        string WithSas(string sas) => $"BlobEndpoint=http://127.0.0.1:{_azurite.Port}/{AzuriteServer.Account};SharedAccessSignature={sas}";

        // CI's token can write: it fills the cache.
        var write = Sas(Azure.Storage.Sas.AccountSasPermissions.Read | Azure.Storage.Sas.AccountSasPermissions.Write | Azure.Storage.Sas.AccountSasPermissions.Create);
        Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, WithSas(write));
        using var ci = new TaskScratch();
        Assert.True(Compress(ci, url).Execute(), ci.Engine.Log);
        Assert.DoesNotContain(ci.Engine.Warnings, w => w.Code.StartsWith("ADA51", StringComparison.Ordinal));
        Assert.NotEmpty(Blobs(url));

        // A pull request's token can only read: it hits, and a miss it compresses is kept local with ADA5103.
        var read = Sas(Azure.Storage.Sas.AccountSasPermissions.Read);
        Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, WithSas(read));
        using var pr = new TaskScratch();
        Assert.True(Compress(pr, url).Execute(), pr.Engine.Log);
        Assert.Equal(0, pr.ToolRuns);
        var before = Blobs(url);
        var changed = pr.Compress(TaskScratch.Model(metadata: ("LatencyBudgetMs", "7")));
        changed.CacheUrl = url;
        Assert.True(changed.Execute(), pr.Engine.Log);
        Assert.Equal(1, pr.ToolRuns);
        Assert.Contains("403", Assert.Single(pr.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheWriteFailed).Message);
        Assert.Equal(before, Blobs(url));
        Assert.DoesNotContain("sig=", string.Join("\n", pr.Engine.Warnings.Select(w => w.Message + w.File)));
    }

    [Fact]
    public void Unreadable_connection_string_is_a_settings_warning_that_does_not_repeat_it()
    {
        Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, "AccountKey=sekrit;this is not one");
        using var scratch = new TaskScratch();
        Assert.True(Compress(scratch, AzuriteServer.NewCacheUrl()).Execute(), scratch.Engine.Log);
        var warning = Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheSettingsInvalid);
        Assert.DoesNotContain("sekrit", warning.Message);
        Assert.Equal(1, scratch.ToolRuns);
    }

    private void Expect(string connectionString, string? timeout, string inMessage)
    {
        Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, connectionString);
        using var scratch = new TaskScratch();
        Assert.True(Compress(scratch, AzuriteServer.NewCacheUrl(), timeout: timeout).Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        var warning = Assert.Single(scratch.Engine.Warnings, w => w.Code == ErrorCodes.RemoteCacheUnavailable);
        Assert.Contains(inMessage, warning.Message);
        Assert.Single(CacheStore.Open(scratch.CacheRoot).List());
    }

    private BlobContainerClient Container(string url) =>
        new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(new Uri(url).AbsolutePath.Trim('/').Split('/')[0]);

    private List<string> Blobs(string url) => Container(url).GetBlobs().Select(b => b.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();

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
