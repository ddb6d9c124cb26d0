namespace AdaDeep.Build.Tasks;

/// <summary>
/// Names of the metadata AdaDeepPrepareModels sets on its output items for the targets (docs/build.md has the table).
/// The metadata users set on AdaDeepModel items are ModelItemSettings.Metadata, read by the shared ModelItemSettings.
/// </summary>
internal static class ModelMetadata
{
    public const string OutputFile = "OutputFile";
    public const string ResultFile = "ResultFile";
    public const string ReportFile = "ReportFile";
    public const string ReportJsonFile = "ReportJsonFile";
    public const string StampFile = "StampFile";
    public const string InputFiles = "InputFiles";
    public const string DeviceFolder = "DeviceFolder";
    public const string EffectiveDevice = "EffectiveDevice";

    /// <summary>The Include as the project wrote it (the planned item's identity is the model's full path).</summary>
    public const string OriginalItemSpec = "AdaDeepItemSpec";
}
