using AdaDeep.Cli.Project;
using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>Evaluations of temporary projects that import build/AdaDeep.Build.props/.targets, in process (SDK MSBuild).</summary>
public class ProjectPlannerTests
{
    private const string TwoItems = """
        <AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="10" MinAccuracy="0.9" />
        <AdaDeepModel Include="models/lenet.onnx" Profile="profiles/board.yaml" StorageBudgetMB=" 2.50 " Dataset="data" Optimizer="Greedy" />
        <AdaDeepModel Include="models/mlp.onnx" Device="host" LogicalName="Release.mlp.onnx" Condition="'$(Configuration)' == 'Release'" />
        """;

    [Fact]
    public void Items_are_read_with_their_item_definition_defaults_as_the_build_reads_them()
    {
        using var project = NewProject();

        var plan = project.Plan();

        Assert.Equal(project.ProjectPath, plan.ProjectPath);
        Assert.Equal(2, plan.Models.Count);
        var mlp = plan.Models[0];
        Assert.Equal("models/mlp.onnx", mlp.Item.Include);
        Assert.Equal("sony-sw3", mlp.Settings.DeviceArgument);
        Assert.Equal(10, mlp.Settings.LatencyBudgetMs);
        Assert.Equal(0.9, mlp.Settings.MinAccuracy);
        // Seed and Optimizer come from the ItemDefinitionGroup of AdaDeep.Build.props, as in a build.
        Assert.Equal(1, mlp.Settings.Seed);
        Assert.Equal("dqn", mlp.Settings.Optimizer);
        Assert.Equal("AdaDeep.mlp.onnx", mlp.Settings.LogicalName);
        Assert.Equal(project.CacheDirectory, mlp.CacheRoot);
        Assert.Equal(CacheStatus.Missing, mlp.Cache!.Status);

        var lenet = plan.Models[1];
        Assert.True(lenet.Settings.DeviceIsProfile);
        Assert.Equal(Path.Combine(project.ProjectDirectory, "profiles", "board.yaml"), lenet.Settings.DeviceArgument);
        Assert.Equal("board", lenet.Device);
        Assert.Equal(2.5, lenet.Settings.StorageBudgetMB);
        Assert.Equal(Path.Combine(project.ProjectDirectory, "data"), lenet.Settings.DatasetPath);
        Assert.Equal("greedy", lenet.Settings.Optimizer);
        Assert.All(plan.Models, m => Assert.True(m.IsValid, string.Join("; ", m.Settings.Problems)));
        Assert.Equal(2, plan.Models.Select(m => m.Key).Distinct().Count());
    }

    [Fact]
    public void AdaDeepDevice_overrides_every_item_and_the_configuration_reaches_conditions()
    {
        using var project = NewProject();

        var plain = project.Plan();
        var overridden = project.Plan(properties: new() { ["AdaDeepDevice"] = "xiaomi-mi6" });
        var variant = project.Plan(devices: new[] { "xiaomi-mi6" });
        var release = project.Plan(configuration: "Release");

        Assert.All(overridden.Models, m => Assert.Equal("xiaomi-mi6", m.Settings.DeviceArgument));
        Assert.False(overridden.Models[1].Settings.DeviceIsProfile);
        Assert.NotEqual(plain.Models[0].Key, overridden.Models[0].Key);
        // `-p:AdaDeepDevice=X` and `--devices X` are the same variant, hence the same keys.
        Assert.Equal(overridden.Models.Select(m => m.Key), variant.Models.Select(m => m.Key));
        Assert.Equal("xiaomi-mi6", variant.Models[0].Variant);
        Assert.Null(plain.Models[0].Variant);

        Assert.Equal(3, release.Models.Count);
        Assert.Equal("Release", release.First.Property("Configuration"));
        Assert.Equal("Release.mlp.onnx", release.Models[2].Settings.LogicalName);
        // Same model, same settings, same key whatever the configuration: the cache is shared by Debug and Release.
        Assert.Equal(plain.Models[0].Key, release.Models[0].Key);
    }

    [Fact]
    public void A_project_that_lists_AdaDeepDevices_is_planned_per_device_variant()
    {
        using var project = NewProject("<AdaDeepDevices>sony-sw3 xiaomi-mi6,host</AdaDeepDevices>");

        var plan = project.Plan();

        Assert.Equal(new[] { "sony-sw3", "xiaomi-mi6", "host" }, plan.Evaluations.Select(e => e.GlobalProperties["AdaDeepDevice"]));
        Assert.Equal(6, plan.Models.Count);
        Assert.Equal(new[] { "sony-sw3", "sony-sw3", "xiaomi-mi6", "xiaomi-mi6", "host", "host" }, plan.Models.Select(m => m.Device));
        // The variants evaluate with AdaDeepDevices cleared, as the AdaDeepBuildVariants target builds them.
        Assert.All(plan.Evaluations, e => Assert.Null(e.Property("AdaDeepDevices")));
    }

    [Fact]
    public void A_project_that_does_not_evaluate_is_ADA6003_with_the_MSBuild_message()
    {
        using var project = NewProject();
        File.WriteAllText(project.ProjectPath, """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="does-not-exist.targets" />
            </Project>
            """);

        var e = Assert.Throws<AdaDeepException>(() => project.Plan());

        Assert.Equal(ErrorCodes.ProjectEvaluationFailed, e.Code);
        Assert.Equal(7, e.ExitCode);
        Assert.Contains("MSB4019", e.Message);
        Assert.Contains("does-not-exist.targets", e.Message);
        Assert.StartsWith(project.ProjectPath + "(2,", e.File);
    }

    [Fact]
    public void Invalid_items_are_planned_with_their_problems_and_no_key()
    {
        using var project = new TestProject("""
            <AdaDeepModel Include="models/missing.onnx" Device="sony-sw3" />
            <AdaDeepModel Include="models/mlp.onnx" LatencyBudgetMs="10,5" />
            """);

        var plan = project.Plan();
        var errors = ProjectDiagnostics.Errors(plan);

        Assert.All(plan.Models, m => Assert.Null(m.Key));
        Assert.Equal(new[] { ErrorCodes.ProjectModelMissing, ErrorCodes.ProjectItemInvalid, ErrorCodes.ProjectItemInvalid }, errors.Select(e => e.Code));
        Assert.Contains("the model file 'models/missing.onnx' of an AdaDeepModel item does not exist", errors[0].Message);
        Assert.Contains("no target device", errors[1].Message);
        Assert.Contains("LatencyBudgetMs '10,5' is not a positive number", errors[2].Message);
        Assert.All(errors, e => Assert.Equal(project.ProjectPath, e.File));
    }

    private static TestProject NewProject(string properties = "")
    {
        var project = new TestProject(TwoItems, properties);
        project.WriteFile("profiles/board.yaml", "devices:\n  - id: board\n");
        project.WriteFile("data/x.npy", "not really numpy, only hashed here");
        return project;
    }
}
