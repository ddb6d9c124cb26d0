namespace AdaDeep.Engine.Cache;

/// <summary>
/// The transport of a remote cache: named blobs (<c>ac/&lt;key&gt;</c>, <c>cas/&lt;sha256&gt;</c>) that can be read,
/// checked and written. <see cref="RemoteCache"/> adds the layout, verification, retry and fallback on top, so a
/// backend (HTTP, Azure Blob) only moves bytes. Failures are <see cref="RemoteStoreException"/>s.
/// </summary>
public interface IRemoteBlobStore : IDisposable
{
    /// <summary>What may be printed about the store (never credentials).</summary>
    string DisplayName { get; }

    /// <summary>Copies the blob into <paramref name="destination"/>; false when it does not exist.</summary>
    /// <exception cref="InvalidDataException">The blob is longer than <paramref name="maxBytes"/>.</exception>
    Task<bool> GetAsync(string path, Stream destination, long maxBytes, CancellationToken cancellation);

    Task<bool> ExistsAsync(string path, CancellationToken cancellation);

    Task PutAsync(string path, Stream content, long length, CancellationToken cancellation);
}
