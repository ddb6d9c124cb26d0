using Microsoft.Build.Framework;

namespace AdaDeep.Build.Tasks.Tests;

/// <summary>Every bad metadata value stops the build with its own code, names the model's file, starts no tool and
/// writes nothing.</summary>
public class ModelPlanTests
{
    public static TheoryData<string, string, string> BadMetadata() => new()
    {
        { "Device", "", BuildErrorCodes.MissingDevice },
        { "Device", "../evil", BuildErrorCodes.InvalidDevice },
        { "Device", "sony sw3", BuildErrorCodes.InvalidDevice },
        { "LatencyBudgetMs", "abc", BuildErrorCodes.InvalidBudget },
        { "LatencyBudgetMs", "-1", BuildErrorCodes.InvalidBudget },
        { "LatencyBudgetMs", "0", BuildErrorCodes.InvalidBudget },
        { "LatencyBudgetMs", "NaN", BuildErrorCodes.InvalidBudget },
        { "LatencyBudgetMs", "Infinity", BuildErrorCodes.InvalidBudget },
        { "LatencyBudgetMs", "1,5", BuildErrorCodes.InvalidBudget },
        { "StorageBudgetMB", "0", BuildErrorCodes.InvalidBudget },
        { "EnergyBudgetMJ", "-3", BuildErrorCodes.InvalidBudget },
        { "TimeBudgetSeconds", "soon", BuildErrorCodes.InvalidBudget },
        { "MinAccuracy", "0", BuildErrorCodes.InvalidMinAccuracy },
        { "MinAccuracy", "1.5", BuildErrorCodes.InvalidMinAccuracy },
        { "MinAccuracy", "97%", BuildErrorCodes.InvalidMinAccuracy },
        { "MaxAccuracyDrop", "1", BuildErrorCodes.InvalidMaxAccuracyDrop },
        { "MaxAccuracyDrop", "-0.1", BuildErrorCodes.InvalidMaxAccuracyDrop },
        { "Dataset", "data/missing.npz", BuildErrorCodes.DatasetNotFound },
        { "Profile", "missing.yaml", BuildErrorCodes.ProfileNotFound },
        { "LogicalName", "../escape.onnx", BuildErrorCodes.InvalidLogicalName },
        { "LogicalName", "sub/dir.onnx", BuildErrorCodes.InvalidLogicalName },
        { "Seed", "-1", BuildErrorCodes.InvalidSeed },
        { "Seed", "one", BuildErrorCodes.InvalidSeed },
        { "Optimizer", "sgd", BuildErrorCodes.InvalidOptimizer },
        { "Device", "sony-sw2", BuildErrorCodes.UnknownDevice },
    };

    [Fact]
    public void A_device_missing_from_the_catalog_names_the_near_ids_before_any_tool_starts()
    {
        using var scratch = new TaskScratch();
        var task = scratch.Compress(TaskScratch.Model(metadata: ("Device", "xiaomi-mi7")));

        Assert.False(task.Execute());

        var error = Assert.Single(scratch.Engine.Errors);
        Assert.Equal(BuildErrorCodes.UnknownDevice, error.Code);
        Assert.Contains("'xiaomi-mi6'", error.Message);
        Assert.Equal(0, scratch.ToolRuns);
    }

    [Fact]
    public void Unknown_metadata_warns_with_the_nearest_name_and_errors_point_at_the_item_line_of_the_project()
    {
        using var scratch = new TaskScratch();
        var project = Path.Combine(scratch.Project, "App.csproj");
        File.WriteAllText(project, """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <AdaDeepModel Include="models/other.onnx" Device="sony-sw3" />
                <AdaDeepModel Include="models/mlp.onnx"
                              Device="sony-sw3" LatencyBudget="10" StorageBudgetMB="-2" />
              </ItemGroup>
            </Project>
            """);
        var item = TaskScratch.Model(metadata: new[] { ("LatencyBudget", "10"), ("StorageBudgetMB", "-2") });
        var prepare = new AdaDeepPrepareModels
        {
            BuildEngine = scratch.Engine,
            Models = new ITaskItem[] { item },
            ProjectDirectory = scratch.Project,
            ProjectFile = project,
            IntermediateDirectory = "obj",
        };

        Assert.False(prepare.Execute());

        var warning = Assert.Single(scratch.Engine.Warnings);
        Assert.Equal(BuildErrorCodes.UnknownMetadata, warning.Code);
        Assert.Contains("'LatencyBudget'", warning.Message);
        Assert.Contains("did you mean 'LatencyBudgetMs'?", warning.Message);
        var error = Assert.Single(scratch.Engine.Errors);
        Assert.Equal(BuildErrorCodes.InvalidBudget, error.Code);
        Assert.Equal(project, error.File);
        Assert.Equal(4, error.LineNumber);
        Assert.StartsWith("models/mlp.onnx: StorageBudgetMB '-2'", error.Message);
        Assert.Equal((project, 4), (warning.File, warning.LineNumber));
    }

    [Theory]
    [MemberData(nameof(BadMetadata))]
    public void Bad_metadata_is_an_error_with_its_code_and_the_model_file(string name, string value, string code)
    {
        using var scratch = new TaskScratch();
        var task = scratch.Compress(TaskScratch.Model(metadata: (name, value)));

        Assert.False(task.Execute());

        var error = Assert.Single(scratch.Engine.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(Path.Combine(scratch.Project, "models", "mlp.onnx"), error.File);
        Assert.Empty(task.CompressedModels);
        Assert.Equal(0, scratch.ToolRuns);
        Assert.False(Directory.Exists(scratch.AdaDeepOutputs));
    }

    [Fact]
    public void MinAccuracy_and_MaxAccuracyDrop_together_conflict()
    {
        using var scratch = new TaskScratch();
        var task = scratch.Compress(TaskScratch.Model(metadata: new[] { ("MinAccuracy", "0.9"), ("MaxAccuracyDrop", "0.01") }));
        Assert.False(task.Execute());
        Assert.Equal(BuildErrorCodes.ConflictingAccuracy, Assert.Single(scratch.Engine.Errors).Code);
        Assert.Equal(0, scratch.ToolRuns);
    }

    [Fact]
    public void Missing_model_file_is_an_error()
    {
        using var scratch = new TaskScratch();
        var task = scratch.Compress(TaskScratch.Model("models/none.onnx"));
        Assert.False(task.Execute());
        var error = Assert.Single(scratch.Engine.Errors);
        Assert.Equal(BuildErrorCodes.ModelNotFound, error.Code);
        Assert.Equal(Path.Combine(scratch.Project, "models", "none.onnx"), error.File);
    }

    [Fact]
    public void Two_models_with_one_LogicalName_conflict()
    {
        using var scratch = new TaskScratch();
        Directory.CreateDirectory(Path.Combine(scratch.Project, "other"));
        File.Copy(Path.Combine(scratch.Project, "models", "mlp.onnx"), Path.Combine(scratch.Project, "other", "mlp.onnx"));
        var task = scratch.Compress(TaskScratch.Model(), TaskScratch.Model("other/mlp.onnx"));
        Assert.False(task.Execute());
        Assert.Equal(BuildErrorCodes.DuplicateLogicalName, Assert.Single(scratch.Engine.Errors).Code);
        Assert.Equal(0, scratch.ToolRuns);
    }

    [Fact]
    public void Every_problem_of_an_item_is_reported_at_once()
    {
        using var scratch = new TaskScratch();
        var task = scratch.Compress(TaskScratch.Model(metadata: new[] { ("LatencyBudgetMs", "x"), ("Seed", "y"), ("Optimizer", "z") }));
        Assert.False(task.Execute());
        Assert.Equal(new[] { BuildErrorCodes.InvalidBudget, BuildErrorCodes.InvalidSeed, BuildErrorCodes.InvalidOptimizer },
            scratch.Engine.Errors.Select(e => e.Code).ToArray());
    }

    [Fact]
    public void Device_property_overrides_the_item_and_a_profile_is_used_by_its_path()
    {
        using var scratch = new TaskScratch();
        var log = scratch.Compress().Log;
        var context = PlanContext.Create(scratch.Project, "obj", null, null);

        var missing = ModelPlan.Create(TaskScratch.Model(metadata: ("Device", "")), PlanContext.Create(scratch.Project, "obj", "xiaomi-mi6", null), log)!;
        Assert.Equal("xiaomi-mi6", missing.DeviceArgument);
        Assert.Equal(Path.Combine(scratch.Project, "obj", "adadeep", "xiaomi-mi6", "AdaDeep.mlp.onnx"), missing.OutputFile);

        var profile = ModelPlan.Create(TaskScratch.Model(metadata: ("Profile", "watch.yaml")), context, log)!;
        Assert.True(profile.Settings.DeviceIsProfile);
        Assert.Equal(Path.Combine(scratch.Project, "watch.yaml"), profile.DeviceArgument);
        Assert.Equal("watch", profile.DeviceFolder);
        Assert.Contains(profile.DeviceArgument, profile.InputFiles);
    }

    [Fact]
    public void Tool_arguments_follow_the_contract()
    {
        using var scratch = new TaskScratch();
        var log = scratch.Compress().Log;
        var plan = ModelPlan.Create(TaskScratch.Model(metadata: new[]
        {
            ("LatencyBudgetMs", "10"), ("StorageBudgetMB", "2.5"), ("EnergyBudgetMJ", "1e-1"), ("MinAccuracy", "0.97"),
            ("Dataset", "data"), ("TimeBudgetSeconds", "30"),
        }), PlanContext.Create(scratch.Project, "obj", null, null), log)!;

        var args = plan.ToolArguments("out.onnx", "r.json", "r.md");

        Assert.Equal(new[]
        {
            "compress", Path.Combine(scratch.Project, "models", "mlp.onnx"), "--device", "sony-sw3",
            "--latency-budget-ms", "10", "--storage-budget-mb", "2.5", "--energy-budget-mj", "0.1", "--min-accuracy", "0.97",
            "--time-budget", "30", "--dataset", Path.Combine(scratch.Project, "data"), "--seed", "1", "--optimizer", "dqn",
            "--output", "out.onnx", "--report", "r.md", "--result-json", "r.json", "--progress", "lines", "--no-cache",
        }, args);
        Assert.Contains(Path.Combine(scratch.Project, "data", "val.bin"), plan.InputFiles);
    }

    [Theory]
    [InlineData("/p/obj/adadeep/x.onnx", "/p/obj", true)]
    [InlineData("/p/obj/../x.onnx", "/p/obj", false)]
    [InlineData("/p/objx/x.onnx", "/p/obj", false)]
    [InlineData("/p/obj", "/p/obj/", false)]
    public void Containment_is_checked_on_normalised_paths(string path, string folder, bool inside)
    {
        Assert.Equal(inside, ModelPlan.IsInside(path, folder));
    }
}
