using System.Diagnostics;
using System.Text.Json;

namespace AdaDeep.Bench.Models;

/// <summary>
/// Drives scripts/peers/hand_pipeline.py with Debian's PyTorch (/usr/bin/python3; scripts/peers/setup.sh installs it
/// with apt-get): trains and exports a net (cached under .data/bench/peers), and runs the hand compression.
/// </summary>
public static class PyTorchPeers
{
    public const string Python = "/usr/bin/python3";

    public sealed record Step(string OnnxPath, double Seconds, double WallSeconds, JsonElement Info);

    public static string Folder(RepoLayout repo) => Path.Combine(repo.BenchData, "peers");

    public static void EnsureInstalled(RepoLayout repo)
    {
        var setup = Path.Combine(repo.Root, "scripts", "peers", "setup.sh");
        var (code, output, _) = Run("bash", new[] { setup }, TimeSpan.FromMinutes(20));
        if (code != 0)
        {
            throw new InvalidOperationException($"scripts/peers/setup.sh failed (exit {code}): {output}");
        }
    }

    /// <summary>The PyTorch-trained original (cached: delete .data/bench/peers/&lt;net&gt;.onnx to retrain).</summary>
    public static Step Train(RepoLayout repo, MnistTrainSplit.Folders split, string net, int epochs, int budgetSeconds)
    {
        var folder = Folder(repo);
        var onnx = Path.Combine(folder, net + ".onnx");
        var info = Path.Combine(folder, net + ".train.json");
        if (File.Exists(onnx) && File.Exists(info) && File.Exists(Path.Combine(folder, net + ".pt")))
        {
            Console.WriteLine($"peers: using the cached PyTorch {net} ({onnx})");
            return Read(onnx, info, double.NaN);
        }

        return Script(repo, split, "train", net, onnx, info, "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--time-budget", budgetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Global magnitude pruning to <paramref name="sparsity"/>, fine-tuning, int8 weights: the hand pipeline.</summary>
    public static Step Compress(RepoLayout repo, MnistTrainSplit.Folders split, string net, double sparsity, int fineTuneEpochs, int budgetSeconds)
    {
        var folder = Folder(repo);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return Script(repo, split, "compress", net, Path.Combine(folder, net + ".hand.onnx"), Path.Combine(folder, net + ".compress.json"),
            "--sparsity", sparsity.ToString("0.####", inv), "--fine-tune-epochs", fineTuneEpochs.ToString(inv), "--time-budget", budgetSeconds.ToString(inv));
    }

    private static Step Script(RepoLayout repo, MnistTrainSplit.Folders split, string command, string net, string onnx, string info, params string[] extra)
    {
        var args = new List<string>
        {
            Path.Combine(repo.Root, "scripts", "peers", "hand_pipeline.py"), command, "--net", net, "--mnist", split.Train, "--val-mnist", split.Validation, "--out", Folder(repo),
        };
        args.AddRange(extra);
        var watch = Stopwatch.StartNew();
        var (code, output, _) = Run(Python, args, TimeSpan.FromMinutes(40));
        if (code != 0 || !File.Exists(onnx) || !File.Exists(info))
        {
            throw new InvalidOperationException($"hand_pipeline.py {command} {net} failed (exit {code}): {output}");
        }

        return Read(onnx, info, watch.Elapsed.TotalSeconds);
    }

    private static Step Read(string onnx, string info, double wall)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(info));
        var root = doc.RootElement.Clone();
        return new Step(onnx, root.GetProperty("seconds").GetDouble(), wall, root);
    }

    /// <summary>Runs a command to completion (killed past <paramref name="timeout"/>): exit code, the last 2,000 characters
    /// of its output, wall seconds. The mobile suite's scripts run through it too.</summary>
    internal static (int Code, string Output, double Seconds) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} ran past {timeout.TotalMinutes:0} minutes");
        }

        var text = (stdout.Result + stderr.Result).Trim();
        return (process.ExitCode, text.Length > 2000 ? text[^2000..] : text, watch.Elapsed.TotalSeconds);
    }
}
