using System.Globalization;
using AdaDeep.Bench.Building;
using AdaDeep.Bench.Reporting;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 7 item 3: what AdaDeep.Build costs a `dotnet build` of the real sample app (sample-app/, packed from this
/// checkout, see SampleAppSandbox). (a) clean builds with a cache hit vs the same app without its AdaDeepModel item
/// and with AdaDeepEnabled=false, interleaved; (b) no-op incremental rebuilds, with the detailed log's word on
/// _AdaDeepCompress; (c) AdaDeepBuildVariants for four catalog devices with a cold and a warm cache. Everything runs in
/// a scratch folder with its own cache folders, deleted at the end.
/// </summary>
public sealed class BuildOverheadSuite : ISuite
{
    public const string CompressTarget = "_AdaDeepCompress";

    public static readonly string[] VariantDevices = { "sony-sw3", "xiaomi-mi6", "firefly-rk3399", "raspberry-pi-4" };

    /// <summary>Issue 7's target for a cache-hit build against the same app without the item (medians).</summary>
    public const double TargetRatio = 1.2;

    /// <summary>--quick: the sample item's TimeBudgetSeconds (120) lowered to this for every compress.</summary>
    public const int QuickTimeBudgetSeconds = 15;

    public string Name => "build-overhead";

    public string Description => "sample-app `dotnet build`: cache-hit overhead, no-op rebuild, 4 device variants cold and warm";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        context.Repo.RequireMnist();
        var runs = context.Quick ? 3 : 7;
        using var sandbox = SampleAppSandbox.Create(context.Repo, context.Quick ? QuickTimeBudgetSeconds : null, m => BenchContext.Log("build-overhead: " + m));
        var cache = sandbox.CacheDirectory("single");
        var app = sandbox.AppDirectory;
        var noItem = sandbox.NoItemAppDirectory;

        BenchContext.Log("build-overhead: first build (cold cache: compresses mnist-8 for sony-sw3)");
        var first = sandbox.Build(app, cache).EnsureSucceeded("first build of the sample app");
        report.Notes.Add(string.Format(CultureInfo.InvariantCulture,
            "First build (empty cache, compresses mnist-8 for sony-sw3): {0:0.0} s wall, of which {1} {2:0.0} s; cache {3}.",
            first.WallSeconds, CompressTarget, (first.Summary.TargetMs(CompressTarget) ?? 0) / 1000.0, first.Cache.Misses == 1 ? "miss" : $"hits {first.Cache.Hits}, misses {first.Cache.Misses}"));

        var clean = MeasureCleanBuilds(sandbox, cache, runs);
        report.Tables.Add(clean.Table);
        report.Headlines.Add(clean.Headline);

        var noop = MeasureNoOpBuilds(sandbox, cache, runs, report);
        report.Tables.Add(noop.Table);
        report.Headlines.Add(noop.Headline);

        var variants = MeasureVariants(sandbox, report);
        report.Tables.AddRange(variants.Tables);
        report.Headlines.Add(variants.Headline);

        report.Notes.Add($"The sample app (sample-app/SampleApp.csproj: mnist-8 for sony-sw3, LatencyBudgetMs 0.35, StorageBudgetMB 0.02, MaxAccuracyDrop 0.03, MNIST t10k as data) is copied into a scratch folder; " +
                         $"AdaDeep.Build and AdaDeep.Tool are packed from this checkout as {sandbox.PackageVersion} and restored as a user would (nuget.config feed, local tool manifest). " +
                         (context.Quick
                             ? $"--quick: the item's TimeBudgetSeconds is lowered from {sandbox.OriginalTimeBudgetSeconds} to {QuickTimeBudgetSeconds} s; fine-tuning keeps the engine's defaults ({FineTuneDefaults()})."
                             : $"Full mode: the item's own settings (TimeBudgetSeconds {sandbox.OriginalTimeBudgetSeconds}) and the engine's fine-tuning defaults ({FineTuneDefaults()})."));
        report.Notes.Add("Every build: `dotnet build -c Release --no-restore -nodeReuse:false -v:m -clp:PerformanceSummary`, ADADEEP_CACHE_DIR set to a scratch folder (never the user's cache); target and task times come from MSBuild's performance summary. " +
                         "Wall time includes the dotnet CLI's start-up and MSBuild's evaluation. " +
                         (string.Equals(Environment.GetEnvironmentVariable("UseSharedCompilation"), "false", StringComparison.OrdinalIgnoreCase)
                             ? "This environment sets UseSharedCompilation=false, so every build starts the C# compiler afresh (a developer machine would keep the Roslyn compiler server warm: shorter builds, and a larger share for AdaDeep)."
                             : "The Roslyn compiler server stays warm between builds, as on a developer machine."));
        report.Notes.Add($"Load average at the end of this suite: {MachineInfo.LoadAverage()} on {Environment.ProcessorCount} logical CPUs. On a shared machine other jobs move each build's wall time by seconds, so ratios near 1 are within noise; {CompressTarget}'s own time (from the same builds) shows AdaDeep's part directly.");
        return report;
    }

    private static (BenchTable Table, string Headline) MeasureCleanBuilds(SampleAppSandbox sandbox, string cache, int runs)
    {
        var kinds = new (string Label, string Directory, string[] Extra)[]
        {
            ("cache hit (AdaDeepModel, warm cache)", sandbox.AppDirectory, Array.Empty<string>()),
            ("AdaDeepEnabled=false (original model embedded)", sandbox.AppDirectory, new[] { "-p:AdaDeepEnabled=false" }),
            ("no AdaDeepModel item (baseline)", sandbox.NoItemAppDirectory, Array.Empty<string>()),
        };
        var walls = kinds.Select(_ => new List<double>()).ToArray();
        var compressMs = kinds.Select(_ => new List<double>()).ToArray();
        var adaDeepMs = kinds.Select(_ => new List<double>()).ToArray();
        var cacheHits = new int[kinds.Length];
        // Round 0 is discarded: it warms the file cache (and the compiler server, where used) for all three. Each
        // round starts with the next kind, so that no kind always follows the same one.
        for (var round = 0; round <= runs; round++)
        {
            for (var step = 0; step < kinds.Length; step++)
            {
                var k = (round + step) % kinds.Length;
                BenchContext.Log($"build-overhead: clean build {round}/{runs}: {kinds[k].Label}");
                SampleAppSandbox.Clean(kinds[k].Directory);
                var run = sandbox.Build(kinds[k].Directory, cache, kinds[k].Extra).EnsureSucceeded($"clean build ({kinds[k].Label})");
                if (k == 0 && run.Cache != (1, 0))
                {
                    throw new InvalidOperationException($"expected one cache hit, got {run.Cache.Hits} hits and {run.Cache.Misses} misses");
                }

                if (round == 0)
                {
                    continue;
                }

                walls[k].Add(run.WallSeconds);
                compressMs[k].Add(run.Summary.TargetMs(CompressTarget) ?? 0);
                adaDeepMs[k].Add(run.Summary.TargetsMs("_AdaDeep", "AdaDeep"));
                cacheHits[k] += run.Cache.Hits;
            }
        }

        var table = new BenchTable($"Clean build of the sample app (bin/ and obj/Release/ deleted, restore kept), {runs} runs each, interleaved in rotating order", new[]
        {
            BenchColumn.Text("build", "build"),
            BenchColumn.Number("runs", "runs", "0"),
            BenchColumn.Number("medianSeconds", "median s", "0.00"),
            BenchColumn.Number("minSeconds", "min s", "0.00"),
            BenchColumn.Number("maxSeconds", "max s", "0.00"),
            BenchColumn.Ratio("medianRatio", "median ÷ baseline"),
            BenchColumn.Ratio("minRatio", "min ÷ baseline"),
            BenchColumn.Number("compressTargetMedianMs", $"{CompressTarget} ms (median)", "0"),
            BenchColumn.Number("adaDeepTargetsMedianMs", "all AdaDeep targets ms (median)", "0"),
            BenchColumn.Number("cacheHits", "cache hits", "0"),
        });
        var baseline = new TimingSample(walls[2]);
        for (var k = 0; k < kinds.Length; k++)
        {
            var sample = new TimingSample(walls[k]);
            table.Add(new Dictionary<string, object?>
            {
                ["build"] = kinds[k].Label,
                ["runs"] = runs,
                ["medianSeconds"] = sample.Median,
                ["minSeconds"] = sample.Min,
                ["maxSeconds"] = sample.Max,
                ["medianRatio"] = sample.Median / baseline.Median,
                ["minRatio"] = sample.Min / baseline.Min,
                ["compressTargetMedianMs"] = new TimingSample(compressMs[k]).Median,
                ["adaDeepTargetsMedianMs"] = new TimingSample(adaDeepMs[k]).Median,
                ["cacheHits"] = cacheHits[k],
                ["wallSeconds"] = walls[k],
            });
        }

        var hit = new TimingSample(walls[0]);
        var headline = string.Format(CultureInfo.InvariantCulture,
            "Clean build with a cache hit: {0:0.00} s median vs {1:0.00} s without the AdaDeepModel item ({2:0.00}×, min {3:0.00}×; target ≤ {7:0.0}×: {8}); {4} itself {5:0} ms (median of {6})",
            hit.Median, baseline.Median, hit.Median / baseline.Median, hit.Min / baseline.Min, CompressTarget, new TimingSample(compressMs[0]).Median, runs,
            TargetRatio, hit.Median / baseline.Median <= TargetRatio ? "met" : "missed");
        return (table, headline);
    }

    private static (BenchTable Table, string Headline) MeasureNoOpBuilds(SampleAppSandbox sandbox, string cache, int runs, SuiteReport report)
    {
        var table = new BenchTable($"No-op incremental rebuild (nothing changed since the last build), {runs} runs each", new[]
        {
            BenchColumn.Text("build", "build"),
            BenchColumn.Number("medianSeconds", "median s", "0.00"),
            BenchColumn.Number("minSeconds", "min s", "0.00"),
            BenchColumn.Ratio("medianRatio", "median ÷ baseline"),
            BenchColumn.Text("compressTarget", CompressTarget),
            BenchColumn.Number("compressTargetMedianMs", $"{CompressTarget} ms (median)", "0"),
            BenchColumn.Number("adaDeepTargetsMedianMs", "all AdaDeep targets ms (median)", "0"),
            BenchColumn.Text("coreCompile", "CoreCompile"),
        });
        var kinds = new (string Label, string Directory)[]
        {
            ("sample app (AdaDeepModel)", sandbox.AppDirectory),
            ("no AdaDeepModel item (baseline)", sandbox.NoItemAppDirectory),
        };
        var samples = new List<(TimingSample Wall, double CompressMs, double AdaDeepMs, TargetOutcome Outcome, TargetOutcome Compile)>();
        foreach (var (label, directory) in kinds)
        {
            BenchContext.Log($"build-overhead: no-op rebuilds: {label}");
            sandbox.Build(directory, cache).EnsureSucceeded("build before the no-op rebuilds");
            var walls = new List<double>();
            var compressMs = new List<double>();
            var adaDeepMs = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var run = sandbox.Build(directory, cache).EnsureSucceeded("no-op rebuild");
                walls.Add(run.WallSeconds);
                compressMs.Add(run.Summary.TargetMs(CompressTarget) ?? 0);
                adaDeepMs.Add(run.Summary.TargetsMs("_AdaDeep", "AdaDeep"));
            }

            // One more, untimed, with a detailed file log: the only place MSBuild says why it skipped a target.
            var logFile = Path.Combine(sandbox.Root, $"noop-{Path.GetFileName(directory)}.log");
            sandbox.Build(directory, cache, $"-flp:verbosity=detailed;logfile={logFile}").EnsureSucceeded("no-op rebuild with a detailed log");
            var detailed = File.ReadAllText(logFile);
            // CoreCompile too: a no-op rebuild of the app should not recompile (an embedded model newer than the assembly would).
            samples.Add((new TimingSample(walls), new TimingSample(compressMs).Median, new TimingSample(adaDeepMs).Median,
                BuildLogReader.Outcome(detailed, CompressTarget), BuildLogReader.Outcome(detailed, "CoreCompile")));
        }

        for (var k = 0; k < kinds.Length; k++)
        {
            table.Add(new Dictionary<string, object?>
            {
                ["build"] = kinds[k].Label,
                ["medianSeconds"] = samples[k].Wall.Median,
                ["minSeconds"] = samples[k].Wall.Min,
                ["medianRatio"] = samples[k].Wall.Median / samples[1].Wall.Median,
                ["compressTarget"] = Describe(samples[k].Outcome),
                ["compressTargetMedianMs"] = samples[k].CompressMs,
                ["adaDeepTargetsMedianMs"] = samples[k].AdaDeepMs,
                ["coreCompile"] = Describe(samples[k].Compile),
                ["wallSeconds"] = samples[k].Wall.Seconds,
            });
        }

        if (samples[0].Outcome != TargetOutcome.SkippedUpToDate)
        {
            report.Notes.Add($"UNEXPECTED: on a no-op rebuild {CompressTarget} was {Describe(samples[0].Outcome)}, not skipped as up to date.");
        }

        var headline = string.Format(CultureInfo.InvariantCulture, "No-op rebuild: {0} {1} ({2:0} ms); {3:0.00} s median vs {4:0.00} s without the item",
            CompressTarget, Describe(samples[0].Outcome), samples[0].CompressMs, samples[0].Wall.Median, samples[1].Wall.Median);
        return (table, headline);
    }

    private static (List<BenchTable> Tables, string Headline) MeasureVariants(SampleAppSandbox sandbox, SuiteReport report)
    {
        var app = sandbox.AppDirectory;
        var cache = sandbox.CacheDirectory("variants");
        var devicesArgument = "-p:AdaDeepDevices=" + string.Join(' ', VariantDevices);
        var builds = new BenchTable($"`dotnet build -t:AdaDeepBuildVariants -p:AdaDeepDevices=\"{string.Join(' ', VariantDevices)}\"` ", new[]
        {
            BenchColumn.Text("cache", "cache"),
            BenchColumn.Number("wallSeconds", "wall s", "0.0"),
            BenchColumn.Number("compressTaskSeconds", "AdaDeepCompress task s (sum over variants)", "0.0"),
            BenchColumn.Number("cacheMisses", "compressed (misses)", "0"),
            BenchColumn.Number("cacheHits", "cache hits", "0"),
            BenchColumn.Text("ownModels", "each variant embeds its own model"),
        });
        var perDevice = new BenchTable("What each variant embeds (after the cold build; the warm build embeds the same bytes)", new[]
        {
            BenchColumn.Text("device", "device"),
            BenchColumn.Text("techniques", "chosen"),
            BenchColumn.Number("embeddedBytes", "embedded bytes", "N0"),
            BenchColumn.Text("sha256", "SHA-256 (first 12)"),
            BenchColumn.Text("matches", "embedded = compressed output = result.json"),
        });
        List<VariantOutput>? coldOutputs = null;
        var walls = new Dictionary<string, double>();
        var caches = new Dictionary<string, (int Hits, int Misses)>();
        var sameAcrossBuilds = true;
        foreach (var label in new[] { "cold (empty)", "warm" })
        {
            foreach (var device in VariantDevices)
            {
                // Both builds start from no variant folders: the warm one differs only by its cache.
                RepoLayout.DeleteQuietly(Path.Combine(app, "bin", SampleAppSandbox.Configuration, device));
                RepoLayout.DeleteQuietly(Path.Combine(app, "obj", SampleAppSandbox.Configuration, device));
            }

            BenchContext.Log($"build-overhead: {VariantDevices.Length} device variants, {label} cache");
            var run = sandbox.Build(app, cache, "-t:AdaDeepBuildVariants", devicesArgument).EnsureSucceeded($"variant build ({label} cache)");
            var outputs = VariantDevices.Select(d => VariantOutput.Read(app, SampleAppSandbox.Configuration, d, SampleAppSandbox.LogicalName, SampleAppSandbox.AssemblyFile)).ToList();
            var allOwn = outputs.All(o => o.EmbedsItsOwnModel);
            walls[label] = run.WallSeconds;
            caches[label] = run.Cache;
            builds.Add(new Dictionary<string, object?>
            {
                ["cache"] = label,
                ["wallSeconds"] = run.WallSeconds,
                ["compressTaskSeconds"] = (run.Summary.Tasks.TryGetValue("AdaDeepCompress", out var task) ? task.Milliseconds : 0) / 1000.0,
                ["cacheMisses"] = run.Cache.Misses,
                ["cacheHits"] = run.Cache.Hits,
                ["ownModels"] = allOwn ? $"yes ({outputs.Select(o => o.EmbeddedSha256).Distinct().Count()} distinct of {outputs.Count})" : "NO",
            });
            if (coldOutputs is null)
            {
                coldOutputs = outputs;
            }
            else
            {
                sameAcrossBuilds = outputs.Select(o => o.EmbeddedSha256).SequenceEqual(coldOutputs.Select(o => o.EmbeddedSha256));
            }
        }

        foreach (var output in coldOutputs!)
        {
            perDevice.Add(new Dictionary<string, object?>
            {
                ["device"] = output.Device,
                ["techniques"] = output.Techniques,
                ["embeddedBytes"] = output.EmbeddedBytes,
                ["sha256"] = output.EmbeddedSha256?[..12] ?? "not found",
                ["matches"] = output.EmbedsItsOwnModel ? "yes" : "NO",
                ["embeddedSha256"] = output.EmbeddedSha256,
            });
        }

        report.Notes.Add("Variants: AdaDeepBuildVariants builds the variants with BuildInParallel on dotnet build's default MSBuild nodes (one per logical CPU); " +
                         "when the AdaDeepCompress task's summed time exceeds the wall time, variants compressed at the same time.");
        report.Notes.Add($"Variants: the warm-cache build {(sameAcrossBuilds ? "embedded the same bytes as the cold one in every variant" : "embedded DIFFERENT bytes from the cold one")}. " +
                         "Two devices can legitimately get the same model when the search picks the same techniques for both; 'embeds its own model' checks that each assembly's resource is that variant's compressed output.");
        var distinct = coldOutputs!.Select(o => o.EmbeddedSha256).Distinct().Count();
        var headline = string.Format(CultureInfo.InvariantCulture,
            "{0} device variants: {1:0.0} s with an empty cache ({5} compressed), {2:0.0} s warm ({6} cache hits); each variant embeds its own compressed model: {3} ({4} distinct of {0})",
            VariantDevices.Length, walls["cold (empty)"], walls["warm"], coldOutputs!.All(o => o.EmbedsItsOwnModel) ? "yes" : "NO", distinct,
            caches["cold (empty)"].Misses, caches["warm"].Hits);
        return (new List<BenchTable> { builds, perDevice }, headline);
    }

    private static string FineTuneDefaults() => string.Format(CultureInfo.InvariantCulture, "{0} epochs, capped at {1:0} s",
        AdaDeep.Engine.Pipeline.CompressRequest.DefaultFineTuneEpochs, PipelineDefaults.FineTuneCapSeconds);

    private static string Describe(TargetOutcome outcome) => outcome switch
    {
        TargetOutcome.SkippedUpToDate => "skipped (outputs up to date)",
        TargetOutcome.SkippedFalseCondition => "skipped (false condition)",
        TargetOutcome.Ran => "ran",
        _ => "not run",
    };
}
