using AdaDeep.Devices.Profiles;

namespace AdaDeep.Devices.Tests.Profiles;

public class NearNamesTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "abc", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("sony-sw2", "sony-sw3", 1)]
    [InlineData("", "host", 4)]
    public void Edit_distance_is_levenshtein(string a, string b, int distance)
    {
        Assert.Equal(distance, NearNames.EditDistance(a, b));
        Assert.Equal(distance, NearNames.EditDistance(b, a));
    }

    [Fact]
    public void Closest_names_come_first_and_the_list_is_capped()
    {
        var names = new[] { "host", "hosts", "ghost", "post", "most", "lost", "cost", "unrelated-device" };

        var near = NearNames.Find("hust", names, max: 3);

        Assert.Equal(3, near.Count);
        Assert.Equal("host", near[0]);
        Assert.DoesNotContain("unrelated-device", near);
    }

    [Fact]
    public void Short_inputs_do_not_match_everything_by_substring() =>
        Assert.Empty(NearNames.Find("e", new[] { "xiaomi-redmi-3s", "samsung-note5" }));
}
