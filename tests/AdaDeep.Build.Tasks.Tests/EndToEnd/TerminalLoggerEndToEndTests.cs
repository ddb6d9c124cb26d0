using System.Text.RegularExpressions;

namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>
/// What the real terminal logger (SDK 10.0.401, `-tl:on`, output redirected) shows of a build that compresses a model
/// (docs/build.md "What the terminal logger shows"): the status line names the running target (`_AdaDeepCompress`);
/// the tool's warnings appear under the project at every verbosity; the high-importance summary line only at
/// detailed verbosity; the low-importance progress events never (the terminal logger asks for high importance only).
/// Two builds: a miss, then an up-to-date build.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public class TerminalLoggerEndToEndTests
{
    // The terminal logger colours words and redraws its status lines: CSI (ESC [ ... letter) and OSC (ESC ] ... ESC \) sequences.
    private static string Plain(string output) => Regex.Replace(output, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x1b]*\x1b\\", "");

    [Fact]
    public void The_terminal_logger_shows_the_summary_at_detailed_verbosity_and_the_warnings_always()
    {
        // Slow: the tool runs 2 s, so the status line (redrawn every 33 ms) is drawn while _AdaDeepCompress runs.
        using var harness = new BuildHarness(FakeTool.Mode.Slow);

        var (exit, raw) = harness.Build("-tl:on", "-v:d");
        var output = Plain(raw);

        Assert.True(exit == 0, output);
        Assert.Equal(1, harness.ToolRuns);
        // The terminal logger's own closing line (the classic logger writes "Build succeeded." and a count block).
        Assert.Contains("Build succeeded with", output);
        Assert.Contains("App net10.0 _AdaDeepCompress (", output);
        Assert.Contains("AdaDeep: mlp.onnx → sony-sw3:", output);
        Assert.Contains("[cache miss", output);
        Assert.Contains("warning ADA4099", output);
        Assert.DoesNotContain("AdaDeep: mlp.onnx (sony-sw3) 100% done", output);

        var (exit2, raw2) = harness.Build("--no-restore", "-tl:on", "-v:n");
        var output2 = Plain(raw2);

        Assert.True(exit2 == 0, output2);
        Assert.Contains("Build succeeded with", output2);
        Assert.Contains("warning ADA4099", output2);
        Assert.DoesNotContain("AdaDeep: mlp.onnx → sony-sw3:", output2);
    }
}
