using System.Text.Json;
using AdaDeep.Cli.Commands;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Tests.Commands;

public sealed class CacheCommandTests : TempFolderTest
{
    private string CacheRoot => Path.Combine(Folder, "cache");

    private CacheEntry Publish(char keyChar, int modelBytes, DateTime lastUsedUtc)
    {
        var model = WriteFile($"model-{keyChar}.onnx", new byte[modelBytes]);
        var entry = CacheStore.Open(CacheRoot).Publish(new string(keyChar, 64), new Dictionary<string, string> { [CacheStore.ModelFileName] = model });
        Directory.SetLastWriteTimeUtc(entry.Directory, lastUsedUtc);
        return entry;
    }

    [Fact]
    public void ListShowsEntriesAsTableAndJson()
    {
        Publish('a', 1000, DateTime.UtcNow.AddDays(-1));
        Publish('b', 2000, DateTime.UtcNow);

        var table = CliRunner.Run("cache", "list", "--cache-dir", CacheRoot);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(new string('a', 16), table.Output);
        Assert.Contains("2 entries", table.Output);
        Assert.Contains(CacheRoot, table.Output);

        var json = CliRunner.Run("cache", "list", "--cache-dir", CacheRoot, "--json");
        using var doc = JsonDocument.Parse(json.Output);
        var keys = doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToArray();
        Assert.Equal(new[] { new string('b', 64), new string('a', 64) }, keys);
    }

    [Fact]
    public void PruneByAgeThenBySizeThenClear()
    {
        Publish('a', 1000, DateTime.UtcNow.AddDays(-40));
        Publish('b', 1000, DateTime.UtcNow.AddDays(-2));
        Publish('c', 1000, DateTime.UtcNow);

        var byDefaultAge = CliRunner.Run("cache", "prune", "--cache-dir", CacheRoot);
        Assert.Equal(0, byDefaultAge.ExitCode);
        Assert.Contains("Removed 1 entries", byDefaultAge.Output);

        var bySize = CliRunner.Run("cache", "prune", "--cache-dir", CacheRoot, "--max-size", "1.5KB");
        Assert.Contains("Removed 1 entries", bySize.Output);
        Assert.Equal(new[] { new string('c', 64) }, CacheStore.Open(CacheRoot).List().Select(e => e.Key));

        var clear = CliRunner.Run("cache", "clear", "--cache-dir", CacheRoot);
        Assert.Equal(0, clear.ExitCode);
        Assert.Contains("Removed 1 entries", clear.Output);
        Assert.Empty(CacheStore.Open(CacheRoot).List());
    }

    [Theory]
    [InlineData("--older-than", "soon")]
    [InlineData("--max-size", "big")]
    public void BadPruneArgumentsAreUsageErrors(string option, string value)
    {
        var result = CliRunner.Run("cache", "prune", "--cache-dir", CacheRoot, option, value);
        Assert.Equal(CliApp.UsageError, result.ExitCode);
        Assert.Contains(option, result.Error);
    }

    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    [InlineData("1.02:00:00", 26 * 60)]
    public void DurationsParse(string text, int minutes)
    {
        Assert.True(CacheCommand.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
    }

    [Theory]
    [InlineData("500MB", 500L * 1024 * 1024)]
    [InlineData("2gb", 2L * 1024 * 1024 * 1024)]
    [InlineData("1048576", 1048576L)]
    public void SizesParse(string text, long bytes)
    {
        Assert.True(CacheCommand.TryParseSize(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }
}
