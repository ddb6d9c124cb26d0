using System.Net.Http.Headers;
using System.Text;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// The remote cache's credentials: a bearer token (ADADEEP_CACHE_TOKEN), else basic auth (ADADEEP_CACHE_USER and
/// ADADEEP_CACHE_PASSWORD), else the URL's user information. Only environment variables, which CI systems mask, so
/// nothing secret passes through MSBuild properties or command lines; <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class RemoteCacheCredentials
{
    public const string TokenVariable = "ADADEEP_CACHE_TOKEN";
    public const string UserVariable = "ADADEEP_CACHE_USER";
    public const string PasswordVariable = "ADADEEP_CACHE_PASSWORD";

    private readonly string? _scheme;
    private readonly string? _parameter;

    private RemoteCacheCredentials(string? scheme, string? parameter)
    {
        _scheme = scheme;
        _parameter = parameter;
    }

    public static RemoteCacheCredentials None { get; } = new(null, null);

    /// <summary>"bearer", "basic" or "none": what may be said about the credentials in a log.</summary>
    public string Kind => _scheme?.ToLowerInvariant() ?? "none";

    /// <param name="urlUserInfo">The URL's "user:password" part (escaped, as <see cref="Uri.UserInfo"/> gives it).</param>
    public static RemoteCacheCredentials FromEnvironment(string? urlUserInfo = null)
    {
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (!string.IsNullOrEmpty(token))
        {
            return new RemoteCacheCredentials("Bearer", token!.Trim());
        }

        var user = Environment.GetEnvironmentVariable(UserVariable);
        if (!string.IsNullOrEmpty(user))
        {
            return Basic(user!, Environment.GetEnvironmentVariable(PasswordVariable) ?? "");
        }

        if (!string.IsNullOrEmpty(urlUserInfo))
        {
            var colon = urlUserInfo!.IndexOf(':');
            return colon < 0
                ? Basic(Uri.UnescapeDataString(urlUserInfo), "")
                : Basic(Uri.UnescapeDataString(urlUserInfo.Substring(0, colon)), Uri.UnescapeDataString(urlUserInfo.Substring(colon + 1)));
        }

        return None;
    }

    /// <summary>The Authorization header to send, or null without credentials.</summary>
    public AuthenticationHeaderValue? Header() => _scheme is null ? null : new AuthenticationHeaderValue(_scheme, _parameter);

    public override string ToString() => Kind;

    private static RemoteCacheCredentials Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
}
