using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// The HTTP transport of Bazel's remote cache protocol: GET, HEAD and PUT of <c>&lt;base&gt;/ac/…</c> and
/// <c>&lt;base&gt;/cas/…</c> (bazel-remote, nginx with WebDAV PUT, any store speaking it). Each request, body included,
/// is bounded by the timeout (HttpClient's own Timeout stops at the headers when the body is streamed). Redirects are
/// not followed, so credentials never travel to another host.
/// </summary>
public sealed class HttpBlobStore : IRemoteBlobStore
{
    private readonly HttpClient _client;
    private readonly RemoteCacheOptions _options;

    public HttpBlobStore(RemoteCacheOptions options)
    {
        _options = options;
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("AdaDeep.Build", "1"));
        if (options.Credentials.Header() is { } header)
        {
            _client.DefaultRequestHeaders.Authorization = header;
        }
    }

    public string DisplayName => _options.DisplayUrl;

    public Task<bool> GetAsync(string path, Stream destination, long maxBytes, CancellationToken cancellation) =>
        Send(HttpMethod.Get, path, null, cancellation, async (response, token) =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            Ensure(response, path);
            if (response.Content.Headers.ContentLength is long announced && announced > maxBytes)
            {
                throw new InvalidDataException($"{path} is {announced} bytes, more than the {maxBytes} expected");
            }

            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw new InvalidDataException($"{path} is longer than the {maxBytes} bytes expected");
                }

                await destination.WriteAsync(buffer, 0, read, token).ConfigureAwait(false);
            }

            return true;
        });

    public Task<bool> ExistsAsync(string path, CancellationToken cancellation) =>
        Send(HttpMethod.Head, path, null, cancellation, (response, _) =>
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return Task.FromResult(false);
            }

            Ensure(response, path);
            return Task.FromResult(true);
        });

    public Task PutAsync(string path, Stream content, long length, CancellationToken cancellation)
    {
        var body = new StreamContent(content);
        body.Headers.ContentLength = length;
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return Send(HttpMethod.Put, path, body, cancellation, (response, _) =>
        {
            Ensure(response, path);
            return Task.FromResult(true);
        });
    }

    public void Dispose() => _client.Dispose();

    private async Task<T> Send<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellation,
        Func<HttpResponseMessage, CancellationToken, Task<T>> handle)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_options.Timeout);
        using var request = new HttpRequestMessage(method, new Uri(_options.BaseUri, path)) { Content = content };
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return await handle(response, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new RemoteStoreException($"{method} {path} timed out after {_options.Timeout.TotalSeconds:0.#} s", transient: true, inner: e);
        }
        catch (HttpRequestException e)
        {
            // The message names host and port at most: the request URI never holds credentials.
            throw new RemoteStoreException($"{method} {path} failed: {Flatten(e)}", transient: true, inner: e);
        }
        catch (IOException e)
        {
            throw new RemoteStoreException($"{method} {path} was cut short: {e.Message}", transient: true, inner: e);
        }
    }

    private static void Ensure(HttpResponseMessage response, string path)
    {
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            throw new RemoteStoreException($"{response.RequestMessage?.Method} {path} answered {status} {response.ReasonPhrase}",
                RemoteStoreException.IsTransientStatus(status), status);
        }
    }

    private static string Flatten(Exception e) => e.InnerException is { } inner ? e.Message + " (" + inner.Message + ")" : e.Message;
}
