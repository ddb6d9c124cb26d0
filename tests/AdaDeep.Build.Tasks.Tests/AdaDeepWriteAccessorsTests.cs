namespace AdaDeep.Build.Tasks.Tests;

public class AdaDeepWriteAccessorsTests
{
    [Theory]
    [InlineData("AdaDeep.mnist-8.onnx", "Mnist8")]
    [InlineData("AdaDeep.mlp.onnx", "Mlp")]
    [InlineData("my_net.v2.onnx", "MyNetV2")]
    [InlineData("AdaDeep.2stage.onnx", "Model2stage")]
    public void Class_names_come_from_the_logical_name(string logicalName, string expected) =>
        Assert.Equal(expected, AdaDeepWriteAccessors.ClassName(logicalName));

    [Fact]
    public void One_class_per_model_with_distinct_names_in_the_root_namespace()
    {
        var text = AdaDeepWriteAccessors.Generate(new[]
        {
            ("AdaDeep.net.onnx", "models/net.onnx", "sony-sw3"),
            ("net.onnx", "other/net.onnx", "xiaomi-mi6"),
        }, "My.App");

        Assert.Contains("namespace My.App", text);
        Assert.Contains("internal static class Net\n", text);
        Assert.Contains("internal static class Net2\n", text);
        Assert.Contains("public const string ResourceName = \"AdaDeep.net.onnx\";", text);
        Assert.Contains("models/net.onnx for sony-sw3", text);
        Assert.Contains("public static byte[] ReadAllBytes()", text);
    }
}
