using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AdaDeep.TestUtilities;

/// <summary>
/// A real nginx (Debian's nginx-extras; scripts/setup.sh installs it) serving a temporary folder on 127.0.0.1 with
/// WebDAV PUT, the way teams run a Bazel HTTP cache on a server they already have. One process (master_process off),
/// its own config, logs and temp folders, stopped on Dispose and on test-host exit. Locations:
/// <c>/</c> reads and writes; <c>/readonly/</c> refuses PUT (403); <c>/auth/</c> wants <see cref="Token"/> as a bearer token.
/// Without nginx the constructor throws, so a machine that lacks it fails the tests instead of skipping them.
/// </summary>
public sealed class NginxWebDav : IDisposable
{
    public const string Token = "s3cret-test-token";

    private readonly Process _process;

    public NginxWebDav()
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: the remote cache tests need Debian's nginx-extras (apt-get install -y nginx-extras; scripts/setup.sh installs it)");
        Folder = Directory.CreateTempSubdirectory("adadeep-nginx-").FullName;
        Root = Path.Combine(Folder, "root");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Folder, "body"));
        Port = FreePort();
        var config = Path.Combine(Folder, "nginx.conf");
        File.WriteAllText(config, Config(Folder, Root, Port));
        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", Folder + "/", "-e", Path.Combine(Folder, "error.log"), "-c", config })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        WaitUntilListening();
    }

    /// <summary>The folder nginx serves: what the server holds, to inspect or damage.</summary>
    public string Root { get; }

    public string Folder { get; }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    /// <summary>A fresh cache namespace on the server (a path prefix), so tests sharing one nginx never see each other's entries.</summary>
    public string NewCacheUrl(string location = "") => $"{BaseUrl}{location}{Guid.NewGuid():N}/";

    /// <summary>Every file under the folder a cache URL maps to (relative paths like "ac/…", "cas/…").</summary>
    public IReadOnlyList<string> Files(string cacheUrl)
    {
        var folder = Path.Combine(Root, new Uri(cacheUrl).AbsolutePath.Trim('/'));
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal).ToList()
            : Array.Empty<string>();
    }

    public string PathOf(string cacheUrl, string relative) => Path.Combine(Root, new Uri(cacheUrl).AbsolutePath.Trim('/'), relative);

    public string ErrorLog => File.Exists(Path.Combine(Folder, "error.log")) ? File.ReadAllText(Path.Combine(Folder, "error.log")) : "";

    public string AccessLog => File.Exists(Path.Combine(Folder, "access.log")) ? File.ReadAllText(Path.Combine(Folder, "access.log")) : "";

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        Stop();
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}: {_process.StandardError.ReadToEnd()} {ErrorLog}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        Stop();
        throw new InvalidOperationException($"nginx did not listen on port {Port} within 15 s: {ErrorLog}");
    }

    private static string Config(string folder, string root, int port) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log warn;
        events { worker_connections 256; }
        http {
          access_log {{folder}}/access.log;
          client_body_temp_path {{folder}}/body;
          proxy_temp_path {{folder}}/proxy;
          fastcgi_temp_path {{folder}}/fastcgi;
          uwsgi_temp_path {{folder}}/uwsgi;
          scgi_temp_path {{folder}}/scgi;
          client_max_body_size 1g;
          default_type application/octet-stream;
          server {
            listen 127.0.0.1:{{port}};
            root {{root}};
            location / {
              dav_methods PUT;
              create_full_put_path on;
              dav_access user:rw group:r all:r;
            }
            location /readonly/ {
              limit_except GET HEAD { deny all; }
            }
            location /auth/ {
              if ($http_authorization != "Bearer {{Token}}") { return 401; }
              dav_methods PUT;
              create_full_put_path on;
            }
          }
        }
        """;
}
