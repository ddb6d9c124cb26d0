using AdaDeep.Bench.Reporting;
using AdaDeep.Bench.Suites;

namespace AdaDeep.Bench;

/// <summary>
/// <c>dotnet run --project bench/AdaDeep.Bench -c Release -- &lt;suite&gt; [--quick] [--out bench/results]</c>;
/// suites: techniques, optimizers, search-time, latency-model, shipped, all (docs/benchmarks.md).
/// </summary>
public static class BenchApp
{
    public static IReadOnlyList<ISuite> Suites { get; } = new ISuite[]
    {
        new TechniquesSuite(), new OptimizersSuite(), new SearchTimeSuite(), new LatencyModelSuite(), new ShippedSuite(),
    };

    public static int Run(string[] args)
    {
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
            return 2;
        }

        var context = new BenchContext(repo, options.Quick, options.OutputDirectory, MachineInfo.Capture());
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
}
