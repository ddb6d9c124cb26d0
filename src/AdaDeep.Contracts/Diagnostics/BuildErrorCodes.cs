namespace AdaDeep.Onnx.Diagnostics;

/// <summary>
/// Stable codes of the build integration (docs/build.md lists them). ADB10xx: AdaDeepModel metadata and properties;
/// ADB11xx: the tool; ADB12xx: results. Codes never change meaning once published. Errors the tool reports keep
/// the tool's own ADAxxxx codes (<see cref="ErrorCodes"/>, beside this table in AdaDeep.Contracts).
/// </summary>
public static class BuildErrorCodes
{
    public const string MissingDevice = "ADB1001";
    public const string InvalidBudget = "ADB1002";
    public const string InvalidMinAccuracy = "ADB1003";
    public const string InvalidMaxAccuracyDrop = "ADB1004";
    public const string ConflictingAccuracy = "ADB1005";
    public const string DatasetNotFound = "ADB1006";
    public const string ProfileNotFound = "ADB1007";
    public const string InvalidDevice = "ADB1008";
    public const string InvalidLogicalName = "ADB1009";
    public const string DuplicateLogicalName = "ADB1010";
    public const string InvalidSeed = "ADB1011";
    public const string InvalidOptimizer = "ADB1012";
    public const string ModelNotFound = "ADB1013";
    public const string OutputOutsideIntermediate = "ADB1014";
    public const string UnknownDevice = "ADB1015";

    /// <summary>A warning: an AdaDeepModel metadata name the build does not know (probably misspelled; it is ignored).</summary>
    public const string UnknownMetadata = "ADB1016";

    public const string ToolNotFound = "ADB1101";
    public const string ToolFailed = "ADB1102";
    public const string ToolResultInvalid = "ADB1103";
    public const string CacheLockTimeout = "ADB1104";
    public const string ToolCouldNotStart = "ADB1105";

    public const string BudgetsNotMet = "ADB1201";
    public const string CachedWarning = "ADB1202";
}
