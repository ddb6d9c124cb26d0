namespace AdaDeep.TestUtilities;

/// <summary>Finds files committed in the repository (models/, docs/) from a test's output folder.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AdaDeep.Build.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"no AdaDeep.Build.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>A model committed under models/, e.g. <c>Model("mnist-8")</c> is models/mnist-8/model.onnx.</summary>
    public static string Model(string name) => Path.Combine(Root, "models", name, "model.onnx");

    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    /// <summary>The folder of a model committed under models/ (with its test_data_set_N folders), e.g. models/mnist-8.</summary>
    public static string ModelFolder(string name) => Path.Combine(Root, "models", name);

    /// <summary>.data/mnist when scripts/fetch-data.sh has run, else null (tests then skip their real-data part).</summary>
    public static string? MnistData()
    {
        var folder = Path.Combine(Root, ".data", "mnist");
        return File.Exists(Path.Combine(folder, "t10k-images-idx3-ubyte")) ? folder : null;
    }
}
