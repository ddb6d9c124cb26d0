using System.CommandLine;
using AdaDeep.Cli.Output;
using AdaDeep.Cli.Project;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// `adadeep` with no command, in a project folder (or with --project): evaluates the project with the SDK's MSBuild
/// and lists its AdaDeepModel items as the build sees them: device (AdaDeepDevice honoured), budgets, data set, the
/// cache key the build task would compute, and whether that key is cached (docs/project.md).
/// </summary>
public static class ProjectCommand
{
    /// <summary>Makes the listing the root command's own action (--help and --version keep working).</summary>
    public static void AttachTo(RootCommand root)
    {
        var options = new ProjectOptions();
        options.AddTo(root);
        var json = new Option<bool>("--json") { Description = "Write the listing as JSON (full cache keys, settings, problems)." };
        root.Options.Add(json);
        root.SetAction(parse =>
            Run(options.Read(parse), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
    }

    public static int Run(ProjectSelection selection, bool json, TextWriter output, TextWriter error)
    {
        var plan = ProjectPlanner.Plan(selection, Directory.GetCurrentDirectory());
        var errors = ProjectDiagnostics.Errors(plan);
        if (json)
        {
            JsonOutput.Write(output, ToJson(plan));
            return ProjectDiagnostics.Write(errors, error);
        }

        WriteHeader(plan, output);
        if (plan.Models.Count == 0)
        {
            output.WriteLine(plan.First.ImportsAdaDeep
                ? "The project declares no AdaDeepModel items."
                : "The project declares no AdaDeepModel items and does not import AdaDeep.Build (add a PackageReference to AdaDeep.Build).");
            return 0;
        }

        var table = new TextTable(("Model", false), ("Device", false), ("Latency", false), ("Storage", false), ("Energy", false),
            ("Accuracy", false), ("Dataset", false), ("Search", false), ("Key", false), ("Cached", false));
        foreach (var m in plan.Models)
        {
            var s = m.Settings;
            table.AddRow(m.Item.Include, ModelVariantText.Device(m), ModelVariantText.Budget(s.LatencyBudgetMs, "ms"),
                ModelVariantText.Budget(s.StorageBudgetMB, "MB"), ModelVariantText.Budget(s.EnergyBudgetMJ, "mJ"),
                ModelVariantText.Accuracy(s), ModelVariantText.Dataset(m), ModelVariantText.Search(s),
                ModelVariantText.ShortKey(m.Key), ModelVariantText.Status(m));
        }

        TableRenderer.Write(table, output);
        output.WriteLine();
        var valid = plan.Models.Where(m => m.IsValid).ToList();
        var cached = valid.Count(m => m.IsCached);
        output.WriteLine($"{plan.Models.Count} model variant(s): {cached} cached, {valid.Count - cached} to compress"
            + (valid.Count < plan.Models.Count ? $", {plan.Models.Count - valid.Count} invalid" : "")
            + (cached < valid.Count ? ". `dotnet adadeep warm` compresses the missing ones into the cache." : "."));
        return ProjectDiagnostics.Write(errors, error);
    }

    internal static void WriteHeader(ProjectPlan plan, TextWriter output)
    {
        var first = plan.First;
        output.WriteLine($"Project: {plan.ProjectPath}");
        var configuration = first.Property("Configuration") ?? "-";
        var variants = plan.Evaluations.Select(e => e.GlobalProperties.TryGetValue("AdaDeepDevice", out var d) ? d : null).Where(d => d is not null).ToList();
        output.WriteLine($"Configuration: {configuration}" + (variants.Count > 0 ? $"; device variants: {string.Join(", ", variants)}"
            : first.Property("AdaDeepDevice") is { } device ? $"; AdaDeepDevice={device}" : ""));
        foreach (var root in plan.Models.Select(m => m.CacheRoot).DefaultIfEmpty(ProjectPlanner.CacheRoot(first)).Distinct())
        {
            output.WriteLine($"Cache: {root}");
        }

        foreach (var engine in plan.Models.Select(m => m.EngineIdentity).Distinct())
        {
            if (engine != plan.ToolEngineIdentity)
            {
                output.WriteLine($"Note: the build runs the tool at {first.Property("AdaDeepToolPath")} (AdaDeepToolPath), another engine than this tool "
                    + $"({ModelVariantText.ShortKey(engine.Replace("engine:", ""))}… ≠ {ModelVariantText.ShortKey(plan.ToolEngineIdentity.Replace("engine:", ""))}…): keys are that engine's.");
            }
        }

        if (!string.Equals(first.Property("AdaDeepEnabled"), "true", StringComparison.OrdinalIgnoreCase) && first.ImportsAdaDeep)
        {
            output.WriteLine("Note: AdaDeepEnabled is not true: the build embeds the original models without compressing them.");
        }

        output.WriteLine();
    }

    private static object ToJson(ProjectPlan plan) => new
    {
        project = plan.ProjectPath,
        configuration = plan.First.Property("Configuration"),
        toolEngine = plan.ToolEngineIdentity,
        models = plan.Models.Select(m => new
        {
            model = m.Item.Include,
            modelPath = m.Settings.ModelPath,
            variant = m.Variant,
            device = m.Settings.DeviceArgument,
            deviceIsProfile = m.Settings.DeviceIsProfile,
            latencyBudgetMs = m.Settings.LatencyBudgetMs,
            storageBudgetMB = m.Settings.StorageBudgetMB,
            energyBudgetMJ = m.Settings.EnergyBudgetMJ,
            minAccuracy = m.Settings.MinAccuracy,
            maxAccuracyDrop = m.Settings.MaxAccuracyDrop,
            dataset = m.Settings.DatasetPath,
            testDataset = m.Settings.TestDatasetPath,
            optimizer = m.Settings.Optimizer,
            seed = m.Settings.Seed,
            timeBudgetSeconds = m.Settings.TimeBudgetSeconds,
            logicalName = m.Settings.LogicalName,
            engine = m.EngineIdentity,
            cacheRoot = m.CacheRoot,
            key = m.Key,
            cache = m.IsValid ? m.Cache!.Status.ToString().ToLowerInvariant() : "invalid",
            cacheEntry = m.IsCached ? m.Cache!.EntryDirectory : null,
            problems = m.Settings.Problems.Select(p => p.Message).ToArray(),
        }).ToArray(),
    };
}
