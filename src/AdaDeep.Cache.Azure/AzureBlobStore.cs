using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Cache.Azure;

/// <summary>
/// The remote cache's blobs in an Azure Storage container: <c>azblob://account/container[/prefix]</c> holds
/// <c>[prefix/]ac/&lt;key&gt;</c> and <c>[prefix/]cas/&lt;sha256&gt;</c>, the same layout as the HTTP protocol, so
/// <see cref="RemoteCache"/> verifies, retries and falls back identically. Credentials only from the environment:
/// ADADEEP_CACHE_AZURE_CONNECTION_STRING (also how Azurite or another endpoint is named), else a SAS token in
/// ADADEEP_CACHE_TOKEN for https://account.blob.core.windows.net, else anonymous reads of a public container.
/// The SDK's own retries are off: RemoteCache retries once, then leaves the store alone.
/// </summary>
public sealed class AzureBlobStore : IRemoteBlobStore
{
    public const string ConnectionStringVariable = "ADADEEP_CACHE_AZURE_CONNECTION_STRING";

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly TimeSpan _timeout;
    private bool _containerChecked;

    private AzureBlobStore(BlobContainerClient container, string prefix, TimeSpan timeout, string displayName)
    {
        _container = container;
        _prefix = prefix;
        _timeout = timeout;
        DisplayName = displayName;
    }

    public string DisplayName { get; }

    /// <exception cref="FormatException">The URL names no container, or the connection string cannot be read.</exception>
    public static IRemoteBlobStore Create(RemoteCacheOptions options)
    {
        var account = options.BaseUri.Host;
        var path = options.BaseUri.AbsolutePath.Trim('/');
        var slash = path.IndexOf('/');
        var container = slash < 0 ? path : path.Substring(0, slash);
        var prefix = slash < 0 ? "" : path.Substring(slash + 1).Trim('/') + "/";
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = options.Timeout;
        // Request logging would print URLs and headers into the build's event source: off.
        clientOptions.Diagnostics.IsLoggingEnabled = false;
        clientOptions.Diagnostics.IsDistributedTracingEnabled = false;

        BlobServiceClient service;
        var connection = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        var token = Environment.GetEnvironmentVariable(RemoteCacheCredentials.TokenVariable);
        try
        {
            service = !string.IsNullOrWhiteSpace(connection) ? new BlobServiceClient(connection, clientOptions)
                : !string.IsNullOrWhiteSpace(token) ? new BlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"), new AzureSasCredential(token!.TrimStart('?')), clientOptions)
                : new BlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"), clientOptions);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message may quote the connection string: say only what is wrong.
            throw new FormatException($"{ConnectionStringVariable} is not a usable Azure Storage connection string", e);
        }

        return new AzureBlobStore(service.GetBlobContainerClient(container), prefix, options.Timeout, options.DisplayUrl);
    }

    public Task<bool> GetAsync(string path, Stream destination, long maxBytes, CancellationToken cancellation) =>
        Run("GET", path, cancellation, async token =>
        {
            try
            {
                var response = await _container.GetBlobClient(_prefix + path).DownloadStreamingAsync(cancellationToken: token).ConfigureAwait(false);
                using var download = response.Value;
                if (download.Details.ContentLength > maxBytes)
                {
                    throw new InvalidDataException($"{path} is {download.Details.ContentLength} bytes, more than the {maxBytes} expected");
                }

                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await download.Content.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw new InvalidDataException($"{path} is longer than the {maxBytes} bytes expected");
                    }

                    await destination.WriteAsync(buffer, 0, read, token).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }
        });

    public Task<bool> ExistsAsync(string path, CancellationToken cancellation) =>
        Run("HEAD", path, cancellation, async token =>
            (await _container.GetBlobClient(_prefix + path).ExistsAsync(token).ConfigureAwait(false)).Value);

    public Task PutAsync(string path, Stream content, long length, CancellationToken cancellation) =>
        Run("PUT", path, cancellation, async token =>
        {
            if (!_containerChecked)
            {
                // A fresh container is created by the first writer (a token that may write may usually create it).
                await _container.CreateIfNotExistsAsync(cancellationToken: token).ConfigureAwait(false);
                _containerChecked = true;
            }

            await _container.GetBlobClient(_prefix + path).UploadAsync(content, new BlobUploadOptions(), token).ConfigureAwait(false);
            return true;
        });

    public void Dispose()
    {
        // The SDK's clients hold a shared HttpClient of their own; nothing to release per store.
    }

    private async Task<T> Run<T>(string method, string path, CancellationToken cancellation, Func<CancellationToken, Task<T>> request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_timeout);
        try
        {
            return await request(timeout.Token).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            // Status and error code only: the SDK's message lists the request, which may carry a SAS signature.
            var transient = e.Status == 0 || RemoteStoreException.IsTransientStatus(e.Status);
            throw new RemoteStoreException($"{method} {path} answered {e.Status} {e.ErrorCode}".TrimEnd(), transient, e.Status == 0 ? null : e.Status, e);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new RemoteStoreException($"{method} {path} timed out after {_timeout.TotalSeconds:0.#} s", transient: true, inner: e);
        }
        catch (IOException e)
        {
            throw new RemoteStoreException($"{method} {path} was cut short", transient: true, inner: e);
        }
        catch (AggregateException e)
        {
            throw new RemoteStoreException($"{method} {path} failed: {e.InnerException?.GetType().Name}", transient: true, inner: e);
        }
    }
}
