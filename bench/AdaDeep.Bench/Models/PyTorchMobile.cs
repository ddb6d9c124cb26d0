using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AdaDeep.Bench.Models;

/// <summary>
/// Drives scripts/mobile/ with Debian's PyTorch (/usr/bin/python3; scripts/mobile/setup.sh installs it and the
/// dataset-fashion-mnist package with apt-get): trains and exports the Fashion-MNIST models of the `mobile` suite
/// (cached under .data/mobile/&lt;name&gt;/; delete a folder to retrain), and runs the hand pipeline on a CNN.
/// </summary>
public static class PyTorchMobile
{
    public sealed record Trained(string Name, string OnnxPath, JsonElement Info)
    {
        public double TestAccuracy => Info.GetProperty("test_accuracy").GetDouble();

        public double Seconds => Info.GetProperty("seconds").GetDouble();

        public double Epochs => Info.GetProperty("epochs").GetDouble();
    }

    public sealed record Hand(string OnnxPath, double WallSeconds, JsonElement Info);

    public static string Folder(RepoLayout repo) => Path.Combine(repo.Root, ".data", "mobile");

    /// <summary>Images (N×1×32×32) or, for the GRU, rows as a sequence (N×28×28); <paramref name="part"/> train or test.</summary>
    public static string Data(RepoLayout repo, bool sequence, string part) =>
        Path.Combine(Folder(repo), $"fashion{(sequence ? "-seq" : "")}-{part}.npz");

    public static void EnsureInstalled(RepoLayout repo)
    {
        var (code, output) = Run("bash", new[] { Path.Combine(repo.Root, "scripts", "mobile", "setup.sh") }, TimeSpan.FromMinutes(20));
        if (code != 0)
        {
            throw new InvalidOperationException($"scripts/mobile/setup.sh failed (exit {code}): {output}");
        }
    }

    /// <summary>The trained, exported model (trains it first when .data/mobile/&lt;name&gt;/info.json is missing: minutes).</summary>
    public static Trained Train(RepoLayout repo, string name)
    {
        var folder = Path.Combine(Folder(repo), name);
        var info = Path.Combine(folder, "info.json");
        var onnx = Path.Combine(folder, "model.onnx");
        // A train_fashion.py already running (started by hand, say) is waited for rather than duplicated.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((!File.Exists(info) || !File.Exists(onnx)) && TrainingRunning() && waited.Elapsed < TimeSpan.FromMinutes(90))
        {
            Thread.Sleep(TimeSpan.FromSeconds(10));
        }

        if (!File.Exists(info) || !File.Exists(onnx))
        {
            Console.WriteLine($"mobile: PyTorch trains {name} (cached under {folder} afterwards)");
            var (code, output) = Run(PyTorchPeers.Python, new[]
            {
                Path.Combine(repo.Root, "scripts", "mobile", "train_fashion.py"), "--out", Folder(repo), "--models", name,
            }, TimeSpan.FromMinutes(40));
            if (code != 0 || !File.Exists(info))
            {
                throw new InvalidOperationException($"train_fashion.py {name} failed (exit {code}): {output}");
            }
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(info));
        return new Trained(name, onnx, doc.RootElement.Clone());
    }

    private static bool TrainingRunning()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = Path.Combine(dir, "cmdline");
                if (int.TryParse(Path.GetFileName(dir), out _) && File.Exists(cmdline) && File.ReadAllText(cmdline).Contains("train_fashion.py", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return false;
    }

    /// <summary>ln_structured channel pruning of <paramref name="fraction"/>, fine-tuning, int8 weights (scripts/mobile/hand_pipeline.py).</summary>
    public static Hand Compress(RepoLayout repo, string name, double fraction, int fineTuneSeconds)
    {
        var folder = Path.Combine(Folder(repo), name);
        var onnx = Path.Combine(folder, "hand.onnx");
        var json = Path.Combine(folder, "hand.json");
        File.Delete(json);
        var inv = CultureInfo.InvariantCulture;
        var watch = Stopwatch.StartNew();
        var (code, output) = Run(PyTorchPeers.Python, new[]
        {
            Path.Combine(repo.Root, "scripts", "mobile", "hand_pipeline.py"), "--model", name, "--data", Folder(repo),
            "--fraction", fraction.ToString("0.###", inv), "--fine-tune-seconds", fineTuneSeconds.ToString(inv), "--out", onnx, "--json", json,
        }, TimeSpan.FromMinutes(30));
        if (code != 0 || !File.Exists(json) || !File.Exists(onnx))
        {
            throw new InvalidOperationException($"hand_pipeline.py {name} failed (exit {code}): {output}");
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return new Hand(onnx, watch.Elapsed.TotalSeconds, doc.RootElement.Clone());
    }

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var (code, output, _) = PyTorchPeers.Run(file, args, timeout);
        return (code, output);
    }
}
