using System.Globalization;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// Where the shared second-level cache is and how to use it: <c>AdaDeepCacheUrl</c> / <c>--cache-url</c>, else
/// ADADEEP_CACHE_URL; <c>AdaDeepCacheReadOnly</c> / <c>--cache-read-only</c>, else ADADEEP_CACHE_READ_ONLY. Credentials
/// never come from a property or an option (they would end up in build logs): see <see cref="RemoteCacheCredentials"/>.
/// </summary>
public sealed class RemoteCacheOptions
{
    public const string UrlVariable = "ADADEEP_CACHE_URL";
    public const string ReadOnlyVariable = "ADADEEP_CACHE_READ_ONLY";
    public const string TimeoutVariable = "ADADEEP_CACHE_TIMEOUT";

    /// <summary>azblob://account/container[/prefix]: the Azure Blob backend (AdaDeep.Cache.Azure) instead of HTTP.</summary>
    public const string AzureBlobScheme = "azblob";

    /// <summary>Per request. Long enough for a model of tens of MB on a slow runner link; a hung server costs this twice.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private RemoteCacheOptions(Uri baseUri, bool readOnly, TimeSpan timeout, RemoteCacheCredentials credentials)
    {
        BaseUri = baseUri;
        ReadOnly = readOnly;
        Timeout = timeout;
        Credentials = credentials;
    }

    /// <summary>The server's base address with a trailing '/', without user information (that became <see cref="Credentials"/>).</summary>
    public Uri BaseUri { get; }

    /// <summary>Reads only: for builds of untrusted changes, which must not be able to plant entries others would ship.</summary>
    public bool ReadOnly { get; }

    public TimeSpan Timeout { get; }

    /// <summary>True for azblob://account/container[/prefix]/ (host = account, first path segment = container).</summary>
    public bool IsAzureBlob => BaseUri.Scheme == AzureBlobScheme;

    public RemoteCacheCredentials Credentials { get; }

    /// <summary>The address as it may be printed: scheme, host, port and path only (no user information, no query).</summary>
    public string DisplayUrl => BaseUri.GetLeftPart(UriPartial.Path);

    /// <summary>
    /// The options from explicit values (null or empty: not given) and the environment; null when no URL is set.
    /// </summary>
    /// <exception cref="FormatException">The URL is not an absolute http(s) address, or a flag or timeout cannot be read
    /// (the message never repeats the URL's user information).</exception>
    public static RemoteCacheOptions? Resolve(string? url, string? readOnly = null, string? timeoutSeconds = null)
    {
        var text = FirstGiven(url, Environment.GetEnvironmentVariable(UrlVariable));
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != AzureBlobScheme))
        {
            // Say what is wrong without echoing a URL that may hold a password.
            throw new FormatException("the remote cache URL must be an absolute http://, https:// or azblob://account/container address");
        }

        if (uri.Scheme == AzureBlobScheme && uri.AbsolutePath.Trim('/').Length == 0)
        {
            throw new FormatException("an azblob:// remote cache URL names the account and the container: azblob://account/container[/prefix]");
        }

        var readOnlyValue = ParseFlag(FirstGiven(readOnly, Environment.GetEnvironmentVariable(ReadOnlyVariable)));
        var timeout = ParseTimeout(FirstGiven(timeoutSeconds, Environment.GetEnvironmentVariable(TimeoutVariable)));
        var credentials = RemoteCacheCredentials.FromEnvironment(uri.UserInfo);
        var builder = new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" };
        if (!builder.Path.EndsWith("/", StringComparison.Ordinal))
        {
            builder.Path += "/";
        }

        return new RemoteCacheOptions(builder.Uri, readOnlyValue, timeout, credentials);
    }

    private static string? FirstGiven(string? value, string? fallback) =>
        !string.IsNullOrWhiteSpace(value) ? value!.Trim() : !string.IsNullOrWhiteSpace(fallback) ? fallback!.Trim() : null;

    private static bool ParseFlag(string? text) => text?.ToLowerInvariant() switch
    {
        null => false,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new FormatException($"'{text}' is not true or false (the remote cache's read-only setting)"),
    };

    private static TimeSpan ParseTimeout(string? text)
    {
        if (text is null)
        {
            return DefaultTimeout;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > 3600)
        {
            throw new FormatException($"'{text}' is not a timeout in seconds (0 < s <= 3600) for the remote cache");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
