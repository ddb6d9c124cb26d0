namespace AdaDeep.Onnx.Diagnostics;

/// <summary>Exit codes of `adadeep` (docs/build.md, "Tool contract"); <see cref="ErrorCodes.ExitCodeFor"/> maps a code to its family's.</summary>
public static class ToolExitCodes
{
    public const int Success = 0;
    public const int Usage = 1;
    public const int Internal = 70;

    public static string Describe(int exitCode) => exitCode switch
    {
        0 => "success",
        1 => "usage error",
        2 => "model error",
        3 => "device or profile error",
        4 => "technique or data set error",
        5 => "budgets not met",
        6 => "cache or output error",
        7 => "project error",
        70 => "internal error",
        _ => "unexpected exit code",
    };
}
