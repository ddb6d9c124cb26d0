using AdaDeep.Cache.Azure;
using AdaDeep.TestUtilities;

namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>
/// The Azure Blob backend inside a real `dotnet build`: MSBuild loads Azure.Core and the SDK from the task's folder
/// only for an azblob:// cache, and runner B embeds runner A's bytes without starting its tool.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public class AzureCacheBuildEndToEndTests : IClassFixture<AzuriteServer>
{
    private readonly AzuriteServer _azurite;

    public AzureCacheBuildEndToEndTests(AzuriteServer azurite) => _azurite = azurite;

    [Fact]
    public void Runner_B_embeds_what_runner_A_compressed_through_azure_blob()
    {
        var url = AzuriteServer.NewCacheUrl();
        // The child builds inherit it, as CI passes a secret to a step.
        Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, _azurite.ConnectionString);
        try
        {
            using var a = new BuildHarness();
            var (exitA, outputA) = a.Build($"-p:AdaDeepCacheUrl={url}");
            Assert.True(exitA == 0, outputA);
            Assert.Equal(1, a.ToolRuns);
            Assert.Contains("0 hit(s), 1 miss(es), 1 upload(s)", outputA);

            using var b = new BuildHarness();
            var (exitB, outputB) = b.Build($"-p:AdaDeepCacheUrl={url}");
            Assert.True(exitB == 0, outputB);
            Assert.Equal(0, b.ToolRuns);
            Assert.Contains("[remote cache hit", outputB);
            Assert.DoesNotContain("AccountKey", outputA + outputB);
            const string logicalName = "AdaDeep.mlp.onnx";
            Assert.Equal(
                BuildHarness.ReadResource(Path.Combine(a.ProjectDirectory, "bin", "Debug", "net10.0", "App.dll"), logicalName),
                BuildHarness.ReadResource(Path.Combine(b.ProjectDirectory, "bin", "Debug", "net10.0", "App.dll"), logicalName));
        }
        finally
        {
            Environment.SetEnvironmentVariable(AzureBlobStore.ConnectionStringVariable, null);
        }
    }
}
