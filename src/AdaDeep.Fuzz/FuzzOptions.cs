using System.Globalization;

namespace AdaDeep.Fuzz;

/// <summary>
/// The command line: <c>onnx|yaml|data [--seconds N] [--inputs N] [--seed S] [--only I] [--timeout-seconds T]
/// [--max-alloc-mb M] [--out DIR] [--repo DIR]</c>.
/// </summary>
public sealed record FuzzOptions(
    string Target,
    double? Seconds,
    int? Inputs,
    int Seed,
    long? Only,
    double TimeoutSeconds,
    long MaxAllocMB,
    string OutFolder,
    string? Repo)
{
    public const string Usage =
        "usage: dotnet run --project src/AdaDeep.Fuzz -- onnx|yaml|data [--seconds N] [--inputs N] [--seed S] [--only I]\n" +
        "         [--timeout-seconds T] [--max-alloc-mb M] [--out DIR] [--repo DIR]\n" +
        "  --seconds N          fuzz for N seconds (default 60 unless --inputs is given)\n" +
        "  --inputs N           stop after N inputs\n" +
        "  --seed S             seeds every mutation (default 1); input I of seed S is always the same bytes\n" +
        "  --only I             run input I alone (reproduce a failure) and print its outcome\n" +
        "  --timeout-seconds T  an input running longer is a hang (default 10)\n" +
        "  --max-alloc-mb M     an input allocating more is a failure (default 512)\n" +
        "  --out DIR            failing inputs are saved under DIR/<target>/ (default fuzz-failures)\n" +
        "  --repo DIR           the repository whose models/ seed the run (default: found above the current folder)";

    public static FuzzOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is not ("onnx" or "yaml" or "data"))
        {
            throw new FormatException("the first argument names the target: onnx, yaml or data");
        }

        var options = new FuzzOptions(args[0], null, null, 1, null, 10, FuzzSettings.DefaultMaxAllocatedBytes >> 20, Path.Combine(Path.GetTempPath(), "adadeep-fuzz-failures"), null);
        for (var i = 1; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = Positive(double.Parse(Value(), CultureInfo.InvariantCulture), "--seconds") },
                "--inputs" => options with { Inputs = (int)Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--inputs") },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--only" => options with { Only = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--timeout-seconds" => options with { TimeoutSeconds = Positive(double.Parse(Value(), CultureInfo.InvariantCulture), "--timeout-seconds") },
                "--max-alloc-mb" => options with { MaxAllocMB = (long)Positive(long.Parse(Value(), CultureInfo.InvariantCulture), "--max-alloc-mb") },
                "--out" => options with { OutFolder = Value() },
                "--repo" => options with { Repo = Value() },
                _ => throw new FormatException($"unknown option '{args[i]}'"),
            };
        }

        return options.Seconds is null && options.Inputs is null ? options with { Seconds = 60 } : options;
    }

    public FuzzSettings ToSettings(string workFolder) => new(
        Seed,
        Seconds is { } s ? TimeSpan.FromSeconds(s) : null,
        Inputs,
        TimeSpan.FromSeconds(TimeoutSeconds),
        MaxAllocMB << 20,
        workFolder,
        OutFolder);

    private static double Positive(double value, string option) =>
        value > 0 ? value : throw new FormatException($"{option} must be positive");
}
