using System.CommandLine;
using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// --cache-url and --cache-read-only, shared by compress and warm: the remote cache the build would use
/// (AdaDeepCacheUrl / ADADEEP_CACHE_URL). Credentials only from the environment (<see cref="RemoteCacheCredentials"/>).
/// </summary>
public sealed class RemoteCacheCliOptions
{
    public Option<string?> Url { get; } = new("--cache-url")
    {
        Description = $"A shared cache speaking Bazel's HTTP remote cache protocol, or azblob://account/container (Azure Blob, credentials from "
            + "$ADADEEP_CACHE_AZURE_CONNECTION_STRING or a SAS token), read after the local cache and written after a miss "
            + $"(default: the project's AdaDeepCacheUrl, else ${RemoteCacheOptions.UrlVariable}). Credentials: ${RemoteCacheCredentials.TokenVariable}, "
            + $"or ${RemoteCacheCredentials.UserVariable} and ${RemoteCacheCredentials.PasswordVariable}.",
    };

    public Option<bool> ReadOnly { get; } = new("--cache-read-only")
    {
        Description = $"Read the remote cache, never write it (builds of untrusted changes; default: ${RemoteCacheOptions.ReadOnlyVariable}).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(ReadOnly);
    }

    /// <summary>
    /// The remote cache, or null when none is set or its settings cannot be read (a warning ADA5104 on
    /// <paramref name="error"/>). Its warnings go to <paramref name="error"/> as `url: warning ADA51xx: …` lines.
    /// </summary>
    /// <param name="property">The project's property of that name (warm), or null (compress).</param>
    public RemoteCache? Open(ParseResult parse, Func<string, string?>? property, TextWriter error)
    {
        try
        {
            var options = RemoteCacheOptions.Resolve(
                parse.GetValue(Url) ?? property?.Invoke("AdaDeepCacheUrl"),
                parse.GetValue(ReadOnly) ? "true" : property?.Invoke("AdaDeepCacheReadOnly"),
                property?.Invoke("AdaDeepCacheTimeoutSeconds"));
            return RemoteCache.Open(options, warning => error.WriteLine(warning.ToString()), AdaDeep.Cache.Azure.AzureBlobStore.Create);
        }
        catch (FormatException e)
        {
            error.WriteLine($"adadeep: warning {ErrorCodes.RemoteCacheSettingsInvalid}: no remote cache is used: {e.Message}");
            return null;
        }
    }

    /// <summary>The closing line of a run that used a remote cache.</summary>
    public static string Summary(RemoteCache remote) =>
        $"adadeep: remote cache {remote.DisplayName}{(remote.ReadOnly ? " (read-only)" : "")}: {remote.Statistics}";
}
