namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>
/// Every gate holds alike on a cache miss, a cache hit and an up-to-date build: WarningsAsErrors and NoWarn on the
/// tool's ADA codes and AdaDeepFailOnBudgetMiss (issue 15, items 1 and 2), and the tool is found through a repository
/// nuget.config's globalPackagesFolder although the restore's NuGetPackageRoot points elsewhere (item 3). Real
/// `dotnet build`s with the fake tool; after the first, only the AdaDeepCompress target is built (no compiler run),
/// which takes the same incremental path as a full build.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public class GateEndToEndTests
{
    private const string Compress = "-t:AdaDeepCompress";

    [Fact]
    public void WarningsAsErrors_NoWarn_and_FailOnBudgetMiss_hold_on_a_miss_a_hit_and_an_up_to_date_build()
    {
        using var harness = new BuildHarness(FakeTool.Mode.MissBudgets);
        var otherCache = "-p:AdaDeepCacheDir=" + Path.Combine(harness.Root, "cache-2");

        // Miss: the tool runs; its ADA4099 warning is an error.
        var (exit, output) = harness.Build("-p:WarningsAsErrors=ADA4099");
        Assert.True(exit != 0, output);
        Assert.Contains("error ADA4099", output);
        Assert.Contains("[cache miss", output);
        Assert.Equal(1, harness.ToolRuns);

        // Up to date (the output is in obj/): the same error, without the tool.
        (exit, output) = harness.Build("--no-restore", Compress, "-p:WarningsAsErrors=ADA4099");
        Assert.True(exit != 0, output);
        Assert.Contains("Skipping target \"_AdaDeepCompress\" because all output files are up-to-date", output);
        Assert.Contains("error ADA4099", output);

        // Up to date: NoWarn silences the code; the budget miss still warns with its own code.
        (exit, output) = harness.Build("--no-restore", Compress, "-p:NoWarn=ADA4099");
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("warning ADA4099", output);
        Assert.Contains("warning ADB1201", output);
        Assert.Contains("[up to date]", output);

        // Up to date: AdaDeepFailOnBudgetMiss added later fails the build.
        (exit, output) = harness.Build("--no-restore", Compress, "-p:AdaDeepFailOnBudgetMiss=true");
        Assert.True(exit != 0, output);
        Assert.Contains("error ADB1201", output);

        // Hit (fresh obj/, same cache): FailOnBudgetMiss and NoWarn as on a miss, no tool.
        Directory.Delete(harness.AdaDeepOutputs, recursive: true);
        (exit, output) = harness.Build("--no-restore", Compress, "-p:AdaDeepFailOnBudgetMiss=true", "-p:NoWarn=ADA4099");
        Assert.True(exit != 0, output);
        Assert.Contains("[cache hit", output);
        Assert.Contains("error ADB1201", output);
        Assert.DoesNotContain("warning ADA4099", output);
        Assert.Equal(1, harness.ToolRuns);

        // Hit: the cached warning keeps its code, so WarningsAsErrors applies (not ADB1202).
        (exit, output) = harness.Build("--no-restore", Compress, "-p:WarningsAsErrors=ADA4099");
        Assert.True(exit != 0, output);
        Assert.Contains("[cache hit", output);
        Assert.Contains("error ADA4099", output);
        Assert.DoesNotContain("ADB1202", output);
        Assert.Equal(1, harness.ToolRuns);

        // Miss again (another cache, fresh obj/): FailOnBudgetMiss and NoWarn as on the hit.
        Directory.Delete(harness.AdaDeepOutputs, recursive: true);
        (exit, output) = harness.Build("--no-restore", Compress, otherCache, "-p:AdaDeepFailOnBudgetMiss=true", "-p:NoWarn=ADA4099");
        Assert.True(exit != 0, output);
        Assert.Contains("[cache miss", output);
        Assert.Contains("error ADB1201", output);
        Assert.DoesNotContain("warning ADA4099", output);
        Assert.Equal(2, harness.ToolRuns);
    }

    [Fact]
    public void The_manifest_tool_is_found_in_the_repository_packages_folder_on_a_miss_an_up_to_date_build_and_a_hit()
    {
        using var harness = new BuildHarness(viaManifest: true);
        // The restore's own package folder is elsewhere (another NUGET_PACKAGES or config when the project was restored).
        var elsewhere = "-p:NuGetPackageRoot=" + Path.Combine(harness.Root, "elsewhere") + Path.DirectorySeparatorChar;

        var (exit, output) = harness.Build(elsewhere);
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("ADB1101", output);
        Assert.Contains("[cache miss", output);
        Assert.Equal(1, harness.ToolRuns);

        (exit, output) = harness.Build("--no-restore", Compress, elsewhere);
        Assert.True(exit == 0, output);
        Assert.Contains("[up to date]", output);

        Directory.Delete(harness.AdaDeepOutputs, recursive: true);
        (exit, output) = harness.Build("--no-restore", Compress, elsewhere);
        Assert.True(exit == 0, output);
        Assert.Contains("[cache hit", output);
        Assert.Equal(1, harness.ToolRuns);
    }
}
