using AdaDeep.Compression.Data;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Tests.Cache;

public sealed class PortableNumericsTests
{
    [Fact]
    public void TheEngine_PinsTheMathToPathsEveryX86CpuHas_AndTheKeySaysPortable()
    {
        // Touching the compression library runs its module initializer (it must run before libtorch loads).
        _ = typeof(Dataset).Assembly;
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(Dataset).Module.ModuleHandle);
        if (PortableNumerics.OptedOut)
        {
            return; // a developer's machine may opt out; CI does not
        }

        foreach (var (name, value) in PortableNumerics.Pins)
        {
            var now = Environment.GetEnvironmentVariable(name);
            Assert.True(now == value || PortableNumerics.Identity().Contains($"{name}={now}", StringComparison.Ordinal),
                $"{name}={now}: neither pinned to {value} nor named in the key");
        }

        Assert.StartsWith("portable", PortableNumerics.Identity(), StringComparison.Ordinal);
    }
}
