using AdaDeep.Bench.Reporting;
using AdaDeep.Bench.Suites;

namespace AdaDeep.Bench;

/// <summary>
/// <c>dotnet run --project bench/AdaDeep.Bench -c Release -- &lt;suite&gt; [--quick] [--out bench/results]</c>;
/// suites: techniques, optimizers, search-time, latency-model, shipped, distill, build-overhead, corpus, devices, deepcomp, peers, mobile, all (docs/benchmarks.md);
/// <c>compare BASELINE_DIR CANDIDATE_DIR</c> puts two runs side by side.
/// </summary>
public static class BenchApp
{
    public static IReadOnlyList<ISuite> Suites { get; } = new ISuite[]
    {
        new TechniquesSuite(), new OptimizersSuite(), new SearchTimeSuite(), new LatencyModelSuite(), new ShippedSuite(), new DistillSuite(), new BuildOverheadSuite(), new CorpusSuite(),
        new DevicesSuite(),
        new DeepCompressionSuite(), new PeersSuite(), new MobileSuite(),
    };

    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "compare")
        {
            return Compare(args);
        }

        RepoLayout repo;
        BenchOptions options;
        try
        {
            repo = RepoLayout.Find();
            options = BenchOptions.Parse(args, Path.Combine(repo.Root, "bench", "results"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine($"usage: AdaDeep.Bench <{string.Join("|", Suites.Select(s => s.Name))}|all> [--quick] [--out DIR]");
            Console.Error.WriteLine("       AdaDeep.Bench compare BASELINE_DIR CANDIDATE_DIR");
            return 2;
        }

        var context = new BenchContext(repo, options.Quick, options.OutputDirectory, MachineInfo.Capture(), SourceRevision.Describe(repo.Root));
        Console.WriteLine($"AdaDeep.Bench {options.Suite}{(options.Quick ? " --quick" : "")} on {context.Machine.Describe()}");
        if (options.Suite == AllSuite.Name)
        {
            return new AllSuite(Suites).Run(context);
        }

        var suite = Suites.FirstOrDefault(s => s.Name == options.Suite);
        if (suite is null)
        {
            Console.Error.WriteLine($"error: unknown suite '{options.Suite}'; known: {string.Join(", ", Suites.Select(s => s.Name))}, all");
            return 2;
        }

        try
        {
            suite.Run(context).Write(options.OutputDirectory);
            return 0;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary><c>compare BASELINE_DIR CANDIDATE_DIR</c>: two runs' JSON side by side (RunComparison).</summary>
    private static int Compare(string[] args)
    {
        if (args.Length != 3 || !Directory.Exists(args[1]) || !Directory.Exists(args[2]))
        {
            Console.Error.WriteLine("usage: AdaDeep.Bench compare BASELINE_DIR CANDIDATE_DIR (two folders of suite .json files)");
            return 2;
        }

        try
        {
            var path = RunComparison.Compare(Path.GetFullPath(args[1]), Path.GetFullPath(args[2]));
            Console.WriteLine(File.ReadAllText(path));
            Console.WriteLine($"wrote {path}");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
