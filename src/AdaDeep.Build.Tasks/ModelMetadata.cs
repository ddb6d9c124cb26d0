namespace AdaDeep.Build.Tasks;

/// <summary>Names of the AdaDeepModel item metadata (docs/build.md has the table).</summary>
internal static class ModelMetadata
{
    public const string Device = "Device";
    public const string LatencyBudgetMs = "LatencyBudgetMs";
    public const string StorageBudgetMB = "StorageBudgetMB";
    public const string EnergyBudgetMJ = "EnergyBudgetMJ";
    public const string MinAccuracy = "MinAccuracy";
    public const string MaxAccuracyDrop = "MaxAccuracyDrop";
    public const string Dataset = "Dataset";
    public const string Profile = "Profile";
    public const string LogicalName = "LogicalName";
    public const string Seed = "Seed";
    public const string Optimizer = "Optimizer";
    public const string TimeBudgetSeconds = "TimeBudgetSeconds";

    // Set by AdaDeepPrepareModels on its output items.
    public const string OutputFile = "OutputFile";
    public const string ResultFile = "ResultFile";
    public const string ReportFile = "ReportFile";
    public const string ReportJsonFile = "ReportJsonFile";
    public const string StampFile = "StampFile";
    public const string InputFiles = "InputFiles";
    public const string DeviceFolder = "DeviceFolder";
    public const string EffectiveDevice = "EffectiveDevice";
}
