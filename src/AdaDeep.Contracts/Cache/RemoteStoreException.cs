namespace AdaDeep.Engine.Cache;

/// <summary>
/// A remote store request that failed. Transient failures (no connection, timeout, 408/429/5xx, a body cut short)
/// are retried once; the others (401, 403, 405, ...) are not, since repeating them cannot help.
/// </summary>
public sealed class RemoteStoreException : Exception
{
    public RemoteStoreException(string message, bool transient, int? status = null, Exception? inner = null)
        : base(message, inner)
    {
        Transient = transient;
        Status = status;
    }

    public bool Transient { get; }

    /// <summary>The HTTP status (or the backend's), when the server answered.</summary>
    public int? Status { get; }

    /// <summary>Whether an HTTP status is worth one more try.</summary>
    public static bool IsTransientStatus(int status) => status == 408 || status == 429 || status >= 500;
}
