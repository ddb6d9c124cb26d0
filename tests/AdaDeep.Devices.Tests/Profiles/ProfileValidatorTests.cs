using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Devices.Tests.Profiles;

public class ProfileValidatorTests
{
    [Fact]
    public void Every_catalog_profile_is_valid() =>
        Assert.All(DeviceCatalog.Default.All, p => Assert.Same(p, ProfileValidator.Validate(p)));

    [Fact]
    public void A_profile_built_in_code_is_checked_too()
    {
        var bad = DeviceCatalog.Default.Resolve("host") with { MemoryBandwidthBytesPerSecond = -1 };

        var error = Assert.Throws<AdaDeepException>(() => ProfileValidator.Validate(bad, "my.yaml"));

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains("'memoryBandwidthGBps'", error.Message);
        Assert.Equal("my.yaml", error.File);
    }

    [Fact]
    public void Ids_longer_than_the_limit_are_rejected()
    {
        var bad = DeviceCatalog.Default.Resolve("host") with { Id = new string('a', ProfileValidator.MaxIdLength + 1) };
        Assert.Equal(ErrorCodes.ProfileInvalidValue, Assert.Throws<AdaDeepException>(() => ProfileValidator.Validate(bad)).Code);
    }
}
