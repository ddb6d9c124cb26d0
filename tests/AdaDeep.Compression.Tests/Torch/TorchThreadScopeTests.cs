using AdaDeep.Compression.Torch;
using TorchSharp;

namespace AdaDeep.Compression.Tests.Torch;

public class TorchThreadScopeTests
{
    [Fact]
    public void SetsTheCountForTheScope_AndRestoresTheOneBefore()
    {
        var before = torch.get_num_threads();
        var inside = before == 1 ? 2 : 1;

        using (TorchThreadScope.Use(inside))
        {
            Assert.Equal(inside, torch.get_num_threads());
        }

        Assert.Equal(before, torch.get_num_threads());
    }

    [Fact]
    public void WithoutACount_LeavesTheSettingAlone()
    {
        var before = torch.get_num_threads();

        using (TorchThreadScope.Use(null))
        {
            Assert.Equal(before, torch.get_num_threads());
        }

        Assert.Equal(before, torch.get_num_threads());
    }
}
