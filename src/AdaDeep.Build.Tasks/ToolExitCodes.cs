namespace AdaDeep.Build.Tasks;

/// <summary>Exit codes of `adadeep compress` (docs/build.md, "Tool contract").</summary>
internal static class ToolExitCodes
{
    public const int Success = 0;

    public static string Describe(int exitCode) => exitCode switch
    {
        0 => "success",
        1 => "usage error",
        2 => "model error",
        3 => "device or profile error",
        4 => "technique or data set error",
        5 => "budgets not met",
        6 => "cache or output error",
        70 => "internal error",
        _ => "unexpected exit code",
    };
}
