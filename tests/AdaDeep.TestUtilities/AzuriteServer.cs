using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AdaDeep.TestUtilities;

/// <summary>
/// Azurite's Blob service (npm `azurite`, installed by scripts/setup.sh into the git-ignored .tools/azurite/) on
/// 127.0.0.1 with a free port and a temporary data folder, stopped on Dispose and on test-host exit. Without it the
/// constructor throws, so a machine that lacks it fails the Azure tests instead of skipping them.
/// </summary>
public sealed class AzuriteServer : IDisposable
{
    /// <summary>Azurite's well-known development account and key (public, documented by Microsoft).</summary>
    public const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly List<string> _errors = new();

    public AzuriteServer()
    {
        var azurite = Path.Combine(RepoPaths.Root, ".tools", "azurite", "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run scripts/setup.sh (npm install --prefix .tools/azurite azurite)");
        }

        Folder = Directory.CreateTempSubdirectory("adadeep-azurite-").FullName;
        Port = NginxWebDav.FreePort();
        var start = new ProcessStartInfo(azurite) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", Folder, "--silent", "--skipApiVersionCheck", "--loose" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_errors) _errors.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        WaitUntilListening();
    }

    public int Port { get; }

    public string Folder { get; }

    /// <summary>The connection string the cache reads from ADADEEP_CACHE_AZURE_CONNECTION_STRING.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint=http://127.0.0.1:{Port}/{Account};";

    /// <summary>A fresh container (created by the first upload), so tests sharing one Azurite never meet.</summary>
    public static string NewCacheUrl() => $"azblob://{Account}/c{Guid.NewGuid():N}/";

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

    private void OnExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                // The npm shim starts node as a child: take the tree.
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                lock (_errors)
                {
                    throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}: {string.Join(" | ", _errors)}");
                }
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        Stop();
        throw new InvalidOperationException($"Azurite did not listen on port {Port} within 30 s");
    }
}
