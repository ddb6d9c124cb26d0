using System.CommandLine;
using System.Globalization;
using AdaDeep.Cli.Output;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// <c>adadeep cache list|prune|clear</c>: the content-addressed cache of compressed models that builds and
/// <c>adadeep compress</c> share (root: --cache-dir, else ADADEEP_CACHE_DIR, else the user cache folder).
/// Entries being written by a build (lock held) are never removed.
/// </summary>
public static class CacheCommand
{
    /// <summary>What prune removes when given neither --older-than nor --max-size.</summary>
    public static readonly TimeSpan DefaultPruneAge = TimeSpan.FromDays(30);

    public static Command Create()
    {
        var command = new Command("cache", "List, prune or clear the cache of compressed models.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Prune());
        command.Subcommands.Add(Clear());
        return command;
    }

    private static Option<string?> CacheDirOption() => new("--cache-dir")
    {
        Description = $"The cache root [default: ${CacheStore.EnvironmentVariable}, else the user cache folder].",
    };

    private static Command List()
    {
        var cacheDir = CacheDirOption();
        var json = new Option<bool>("--json") { Description = "Write the entries as JSON." };
        var command = new Command("list", "List cache entries, most recently used first.") { cacheDir, json };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var store = Open(parse.GetValue(cacheDir), parse.InvocationConfiguration.Error);
            var entries = store.List();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(output, new
                {
                    root = store.Root,
                    entries = entries.Select(e => new
                    {
                        key = e.Key,
                        modelSha256 = e.Manifest.ModelSha256,
                        sizeBytes = e.SizeBytes,
                        lastUsedUtc = e.LastUsedUtc,
                        createdUtc = e.Manifest.CreatedUtc,
                        files = e.Manifest.FileSha256.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(),
                    }),
                });
                return 0;
            }

            var table = new TextTable(("Key", false), ("Size", true), ("Last used (UTC)", false), ("Files", false));
            foreach (var e in entries)
            {
                table.AddRow(e.Key[..16], Formatting.Megabytes(e.SizeBytes), e.LastUsedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    string.Join(" ", e.Manifest.FileSha256.Keys.OrderBy(k => k, StringComparer.Ordinal)));
            }

            table.SetFooter($"{entries.Count} entries", Formatting.Megabytes(entries.Sum(e => e.SizeBytes)), "", "");
            TableRenderer.Write(table, output);
            output.WriteLine($"Cache root: {store.Root}");
            return 0;
        });
        return command;
    }

    private static Command Prune()
    {
        var cacheDir = CacheDirOption();
        var olderThan = new Option<string?>("--older-than")
        {
            Description = "Remove entries not used for this long: 30d, 12h, 90m, 45s [default: 30d when --max-size is not given].",
        };
        var maxSize = new Option<string?>("--max-size")
        {
            Description = "Then remove the least recently used entries until the cache is at most this big: 500MB, 2GB, 1048576.",
        };
        var command = new Command("prune", "Remove old entries, or the least recently used ones beyond a size.") { cacheDir, olderThan, maxSize };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            TimeSpan? age = null;
            long? size = null;
            if (parse.GetValue(olderThan) is { } ageText)
            {
                if (!TryParseDuration(ageText, out var parsed))
                {
                    error.WriteLine($"adadeep: error: --older-than '{ageText}' is not a duration such as 30d, 12h, 90m or 45s");
                    return CliApp.UsageError;
                }

                age = parsed;
            }

            if (parse.GetValue(maxSize) is { } sizeText)
            {
                if (!TryParseSize(sizeText, out var parsed))
                {
                    error.WriteLine($"adadeep: error: --max-size '{sizeText}' is not a size such as 500MB, 2GB or 1048576");
                    return CliApp.UsageError;
                }

                size = parsed;
            }

            if (age is null && size is null)
            {
                age = DefaultPruneAge;
            }

            var store = Open(parse.GetValue(cacheDir), error);
            var removed = store.Prune(age, size);
            parse.InvocationConfiguration.Output.WriteLine(
                $"Removed {removed.Count} entries ({Formatting.Megabytes(removed.Sum(e => e.SizeBytes))}); {store.List().Count} left in {store.Root}");
            return 0;
        });
        return command;
    }

    private static Command Clear()
    {
        var cacheDir = CacheDirOption();
        var command = new Command("clear", "Remove every entry (entries a running build holds are kept).") { cacheDir };
        command.SetAction(parse =>
        {
            var store = Open(parse.GetValue(cacheDir), parse.InvocationConfiguration.Error);
            var removed = store.Clear();
            var left = store.List().Count;
            parse.InvocationConfiguration.Output.WriteLine(
                $"Removed {removed.Count} entries ({Formatting.Megabytes(removed.Sum(e => e.SizeBytes))}) from {store.Root}"
                + (left > 0 ? $"; {left} in use by a running build were kept" : ""));
            return 0;
        });
        return command;
    }

    private static CacheStore Open(string? cacheDir, TextWriter error)
    {
        var store = CacheStore.Open(cacheDir);
        if (store.Warning is { } warning)
        {
            error.WriteLine(warning.ToString());
        }

        return store;
    }

    /// <summary>"30d", "12h", "90m", "45s", or a TimeSpan ("1.02:00:00").</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        text = text.Trim();
        duration = default;
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'd': duration = TimeSpan.FromDays(n); return true;
                case 'h': duration = TimeSpan.FromHours(n); return true;
                case 'm': duration = TimeSpan.FromMinutes(n); return true;
                case 's': duration = TimeSpan.FromSeconds(n); return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>"500MB", "2GB", "100KB", "1.5GB" (powers of 1024) or plain bytes.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        text = text.Trim().ToUpperInvariant();
        bytes = 0;
        var units = new (string Suffix, double Factor)[] { ("GB", 1024d * 1024 * 1024), ("MB", 1024d * 1024), ("KB", 1024d), ("B", 1d) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                bytes = (long)(n * factor);
                return true;
            }
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out bytes);
    }
}
