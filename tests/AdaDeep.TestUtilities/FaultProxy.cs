using System.Collections.Concurrent;
using System.Net;

namespace AdaDeep.TestUtilities;

/// <summary>What <see cref="FaultProxy"/> does to one request.</summary>
public enum Fault
{
    /// <summary>Forwarded unchanged.</summary>
    None,

    /// <summary>Answered 500 without reaching the server.</summary>
    ServerError,

    /// <summary>Answered 200 with an empty body without reaching the server (what a broken middlebox may send).</summary>
    EmptyOk,

    /// <summary>Answered after <see cref="FaultProxy.Delay"/> (then forwarded normally).</summary>
    Delay,

    /// <summary>Forwarded, but one byte of the body is flipped (same length).</summary>
    CorruptBody,

    /// <summary>Forwarded, but the connection closes halfway through the announced body.</summary>
    TruncateBody,

    /// <summary>A PUT is answered 403; other requests are forwarded.</summary>
    RefuseWrites,
}

/// <summary>
/// A small HTTP proxy in the test process in front of a real server (nginx), injecting the faults a cache server shows
/// in practice: errors, empty answers, stalls, damaged and cut-short bodies, refused writes. <see cref="Decide"/>
/// picks a fault per request; every request is recorded.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FaultProxy(string targetBaseUrl)
    {
        _target = new Uri(targetBaseUrl);
        Port = NginxWebDav.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Loop);
    }

    public int Port { get; }

    /// <summary>The proxy's address for a cache URL of the target server (same path).</summary>
    public string Url(string targetUrl) => $"http://127.0.0.1:{Port}{new Uri(targetUrl).AbsolutePath}";

    /// <summary>Method and path → fault; default: none.</summary>
    public Func<string, string, Fault> Decide { get; set; } = (_, _) => Fault.None;

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>"METHOD path → fault" for every request so far.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _upstream.Dispose();
        _stop.Dispose();
    }

    private async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var method = context.Request.HttpMethod;
        var path = context.Request.Url!.AbsolutePath;
        var fault = Decide(method, path);
        Log.Enqueue($"{method} {path} → {fault}");
        var response = context.Response;
        try
        {
            switch (fault)
            {
                case Fault.ServerError:
                    Drain(context.Request);
                    response.StatusCode = 500;
                    response.Close();
                    return;
                case Fault.EmptyOk:
                    Drain(context.Request);
                    response.StatusCode = 200;
                    response.ContentLength64 = 0;
                    response.Close();
                    return;
                case Fault.RefuseWrites when method == "PUT":
                    Drain(context.Request);
                    response.StatusCode = 403;
                    response.Close();
                    return;
                case Fault.Delay:
                    await Task.Delay(Delay, _stop.Token);
                    break;
            }

            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_target, path));
            if (method == "PUT")
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                request.Content = new ByteArrayContent(body.ToArray());
            }

            using var answer = await _upstream.SendAsync(request);
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            response.StatusCode = (int)answer.StatusCode;
            if (fault == Fault.CorruptBody && bytes.Length > 0 && method == "GET")
            {
                bytes[bytes.Length / 2] ^= 0x5A;
            }

            if (method == "HEAD")
            {
                response.Close();
                return;
            }

            response.ContentLength64 = bytes.Length;
            if (fault == Fault.TruncateBody && method == "GET" && bytes.Length > 1)
            {
                await response.OutputStream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                await response.OutputStream.FlushAsync();
                response.Abort();
                return;
            }

            await response.OutputStream.WriteAsync(bytes);
            response.Close();
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            response.Abort();
        }
        catch (HttpListenerException)
        {
            // The client went away (e.g. it timed out during a delay).
        }
        catch (IOException)
        {
        }
    }

    private static void Drain(HttpListenerRequest request)
    {
        if (request.HasEntityBody)
        {
            request.InputStream.CopyTo(Stream.Null);
        }
    }
}
