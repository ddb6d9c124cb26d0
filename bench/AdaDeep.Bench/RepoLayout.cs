namespace AdaDeep.Bench;

/// <summary>Paths inside the repository: models/, .data/ (scripts/fetch-data.sh), the built CLI.</summary>
public sealed class RepoLayout
{
    private RepoLayout(string root) => Root = root;

    public string Root { get; }

    public string Mnist => Path.Combine(Root, ".data", "mnist");

    public string BenchData => Path.Combine(Root, ".data", "bench");

    public string Mnist8 => Path.Combine(Root, "models", "mnist-8", "model.onnx");

    public string Cifar10 => Path.Combine(Root, "models", "cifar10-cnn", "model.onnx");

    public static RepoLayout Find()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AdaDeep.Build.sln")))
            {
                return new RepoLayout(dir.FullName);
            }
        }

        throw new InvalidOperationException("run from inside the repository (no AdaDeep.Build.sln above the current folder)");
    }

    /// <summary>MNIST must be fetched first; say how instead of failing deep inside a loader.</summary>
    public void RequireMnist()
    {
        if (!File.Exists(Path.Combine(Mnist, "t10k-images-idx3-ubyte")))
        {
            throw new InvalidOperationException($"MNIST is missing under {Mnist}: run `bash scripts/fetch-data.sh` first");
        }
    }

    /// <summary>The `adadeep` tool built beside this benchmark (same configuration first).</summary>
    public string FindCli()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        foreach (var config in new[] { configuration, configuration == "Release" ? "Debug" : "Release" })
        {
            var dll = Path.Combine(Root, "src", "AdaDeep.Cli", "bin", config, "net10.0", "adadeep.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new InvalidOperationException("the adadeep CLI is not built: dotnet build src/AdaDeep.Cli -c Release");
    }

    /// <summary>A fresh scratch folder under the system temp folder; the caller deletes it.</summary>
    public static string ScratchDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"adadeep-bench-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
