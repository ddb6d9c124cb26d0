using System.Diagnostics;

namespace AdaDeep.Cli.Tests;

public class ParentWatchdogTests
{
    [Fact]
    public void A_live_parent_is_left_alone_and_a_killed_one_is_noticed_within_a_second_or_two()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        using var gone = new ManualResetEventSlim();
        using (ParentWatchdog.Start(parent.Id, gone.Set))
        {
            Assert.False(gone.Wait(TimeSpan.FromSeconds(1.5)));
            parent.Kill();
            Assert.True(gone.Wait(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public void A_parent_already_gone_or_a_recycled_pid_counts_as_gone()
    {
        using var parent = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        parent.WaitForExit();
        using var gone = new ManualResetEventSlim();
        using (ParentWatchdog.Start(parent.Id, gone.Set))
        {
            Assert.True(gone.Wait(TimeSpan.FromSeconds(5)));
        }

        Assert.Null(ParentWatchdog.Identity(parent.Id));
        Assert.NotNull(ParentWatchdog.Identity(Environment.ProcessId));
    }

    [Fact]
    public void Without_the_variable_nothing_is_watched()
    {
        Assert.Null(Environment.GetEnvironmentVariable(ParentWatchdog.Variable));
        Assert.Null(ParentWatchdog.StartFromEnvironment(() => throw new InvalidOperationException("must not run")));
    }
}
