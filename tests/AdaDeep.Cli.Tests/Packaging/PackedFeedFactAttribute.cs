using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Packaging;

/// <summary>
/// A test of the packages scripts/pack.sh put into the feed (ADADEEP_PACKAGE_FEED, else artifacts/feed). Skipped
/// (and counted as skipped) when the feed holds no AdaDeep.Tool package, unless ADADEEP_REQUIRE_PACKAGES=1, which
/// scripts/consumer-check.sh sets after packing so that a missing package fails.
/// </summary>
public sealed class PackedFeedFactAttribute : FactAttribute
{
    public PackedFeedFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ADADEEP_REQUIRE_PACKAGES") != "1" && !File.Exists(Path.Combine(Feed, "AdaDeep.Tool.0.1.0.nupkg")))
        {
            Skip = $"no AdaDeep.Tool package in {Feed}: run scripts/pack.sh (ADADEEP_TOOL_RIDS=all for every RID)";
        }
    }

    public static string Feed => Environment.GetEnvironmentVariable("ADADEEP_PACKAGE_FEED") is { Length: > 0 } feed ? feed : RepoPaths.PathOf("artifacts", "feed");
}
