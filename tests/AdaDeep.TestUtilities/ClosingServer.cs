using System.Net;
using System.Net.Sockets;

namespace AdaDeep.TestUtilities;

/// <summary>
/// A TCP server on 127.0.0.1 that accepts every connection and resets it at once, without an answer: a cache server
/// that crashes on each request, or a load balancer whose backend is gone.
/// </summary>
public sealed class ClosingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _loop;
    private int _connections;

    public ClosingServer()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _loop = Task.Run(Loop);
    }

    public string Url { get; }

    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _listener.Dispose();
    }

    private async Task Loop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            using (socket)
            {
                // Linger 0: a reset, not an orderly close.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
        }
    }
}
