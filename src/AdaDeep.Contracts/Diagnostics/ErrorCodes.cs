namespace AdaDeep.Onnx.Diagnostics;

/// <summary>
/// Every stable error code of the engine. Codes never change meaning once published; README lists them.
/// ADA1xxx model files, ADA2xxx device profiles, ADA3xxx techniques and data, ADA4xxx search and budgets,
/// ADA5xxx cache and output, ADA6xxx projects (dotnet adadeep in a project folder), ADA9xxx internal.
/// Part of AdaDeep.Contracts with the build's <see cref="BuildErrorCodes"/>: one table for the tool and the task.
/// </summary>
public static class ErrorCodes
{
    // Model files (exit code 2).
    public const string ModelNotFound = "ADA1001";
    public const string ModelNotOnnx = "ADA1002";
    public const string ModelTruncated = "ADA1003";
    public const string ModelEmpty = "ADA1004";
    public const string ModelMissingInitializer = "ADA1005";
    public const string ModelInvalidShape = "ADA1006";
    public const string ModelNoGraph = "ADA1007";
    public const string ModelExternalData = "ADA1008";
    public const string ModelUnsupportedTensor = "ADA1009";
    public const string TensorFileNotFound = "ADA1010";
    public const string TensorFileInvalid = "ADA1011";

    /// <summary>ONNX Runtime loads the model but cannot run it on the inputs it was given (its message names the
    /// input or operator); the original model, so nothing AdaDeep wrote.</summary>
    public const string ModelRunFailed = "ADA1101";

    /// <summary>A model that parsed as ONNX but that ONNX Runtime refuses to load (an operator, type or shape it does
    /// not support; its message names it). ADA1002 is for files that are not ONNX at all.</summary>
    public const string ModelRuntimeRefused = "ADA1102";

    /// <summary>A warning: ONNX Runtime refuses the working copy with an input's free dimension pinned to its real size
    /// (a shape check of a branch that never runs, say) although it runs the model as given; that dimension stays free
    /// in the working copy (its message names the input, the dimension and ORT's reason). When the model as given is
    /// refused too, the error is ADA1102 or ADA1101.</summary>
    public const string ModelPinnedShapeRefused = "ADA1103";

    // Device profiles (exit code 3).
    public const string DeviceUnknown = "ADA2001";
    public const string ProfileMalformed = "ADA2002";
    public const string ProfileInvalidValue = "ADA2003";
    public const string ProfileNotFound = "ADA2004";

    // Techniques and data sets (exit code 4).
    public const string TechniqueNotApplicable = "ADA3001";
    public const string TechniqueUnknown = "ADA3002";
    public const string DatasetNotFound = "ADA3003";
    public const string DatasetMalformed = "ADA3004";
    public const string DatasetShapeMismatch = "ADA3005";

    /// <summary>A runtime input of the model has no values: no data set array, test_data_set tensor or --input for it.</summary>
    public const string InputMissing = "ADA3501";

    /// <summary>An --input / --input-shape value (or Inputs / InputShape metadata) cannot be read, names no input of
    /// the model, or contradicts the model's fixed dimensions.</summary>
    public const string InputSpecInvalid = "ADA3502";

    /// <summary>An input has free non-batch dimensions and nothing gives their size: pass --input-shape or data.</summary>
    public const string InputShapeUnresolved = "ADA3503";

    /// <summary>An input or output element type AdaDeep cannot feed or read (strings, complex, sequences).</summary>
    public const string InputTypeUnsupported = "ADA3504";
    public const string TechniqueOptionInvalid = "ADA3101";
    public const string TechniqueCalibrationMissing = "ADA3102";

    /// <summary>A warning: fine-tuning ran, but some nodes ran in ONNX Runtime, frozen (weights only they reach were not trained).</summary>
    public const string FineTunePartlyFrozen = "ADA3401";

    /// <summary>A fine-tune setting out of range (<c>--distillation-weight</c> outside [0, 1]).</summary>
    public const string FineTuneSettingInvalid = "ADA3402";

    /// <summary>No candidate, not even the original with packed weights, passes the validation gate; nothing is written.</summary>
    public const string ValidationFailed = "ADA3601";

    /// <summary>A warning: the search's choice failed the validation gate (or was lossy without fine-tuning or real data) and a safer candidate ships.</summary>
    public const string ValidationFallback = "ADA3602";

    /// <summary>A lossy technique was asked for explicitly (single:&lt;id&gt;) with no real data and no --allow-lossy.</summary>
    public const string LossyNeedsData = "ADA3603";

    /// <summary>A warning: the validation gate's check says nothing (the original predicts one class on every input, or its outputs are constant).</summary>
    public const string ValidationMeaningless = "ADA3604";

    /// <summary>A warning: no labelled data, accuracy is agreement with the original model.</summary>
    public const string DatasetSynthetic = "ADA3006";

    /// <summary>A warning: too few samples to hold any out; search, fine-tuning and the reported accuracy share them.</summary>
    public const string SplitsShareSamples = "ADA3201";

    /// <summary>A warning: samples of the test data also appear in the training data (the test accuracy is optimistic).</summary>
    public const string TestOverlapsTraining = "ADA3202";

    /// <summary>--train-samples is not a whole number ≥ 1.</summary>
    public const string TrainSamplesInvalid = "ADA3203";
    /// <summary>--shared-weights is not "&lt;fc bits&gt;[,&lt;conv bits&gt;]" with bits in 1..8.</summary>
    public const string SharedWeightsInvalid = "ADA3301";

    // Search and budgets (exit code 5).
    public const string BudgetInvalid = "ADA4001";
    public const string BudgetNotMet = "ADA4002";

    /// <summary>A warning: a time budget, not the episode or epoch count, ended the work (results depend on speed).</summary>
    public const string TimeBudgetCut = "ADA4005";
    public const string SearchStrategyUnknown = "ADA4003";
    public const string SearchNothingToDecide = "ADA4004";

    /// <summary>A warning: the speed gate dropped the deferred techniques (quantisation) that made the model slower than the original in ONNX Runtime on this host.</summary>
    public const string SpeedGateDroppedTechniques = "ADA4201";

    /// <summary>A warning: every compressed variant ran slower than the original in ONNX Runtime on this host; the original model ships.</summary>
    public const string SpeedGateShippedOriginal = "ADA4202";
    /// <summary>A warning: the compressed model's file was larger than the input file (decoders, casts, folded constants); the original model ships.</summary>
    public const string SizeGateShippedOriginal = "ADA4203";

    /// <summary>The time cap ended the search after too few episodes (an error under --fail-if-budgets-not-met, else a warning).</summary>
    public const string SearchTooShort = "ADA4301";

    // Cache and outputs (exit code 6).
    public const string CacheUnavailable = "ADA5001";
    public const string OutputNotWritable = "ADA5002";
    // ADA5003 was reserved for an output path escaping its folder and never raised: retired, not reused.
    public const string DiskFull = "ADA5004";

    // The remote (shared) cache: warnings only, since a server can never fail a build (ADA51xx).
    /// <summary>A warning: the remote cache did not answer in time, refused, or failed twice; it is left alone for the rest of the run and models are compressed locally.</summary>
    public const string RemoteCacheUnavailable = "ADA5101";

    /// <summary>A warning: a remote entry whose action entry cannot be read or whose blob does not match its SHA-256 or size; read as a miss.</summary>
    public const string RemoteCacheEntryDamaged = "ADA5102";

    /// <summary>A warning: the remote cache refused or failed a write; the result is kept locally and not shared this run.</summary>
    public const string RemoteCacheWriteFailed = "ADA5103";

    /// <summary>A warning: the remote cache settings cannot be read (not an http(s) URL, a bad flag or timeout); no remote cache is used.</summary>
    public const string RemoteCacheSettingsInvalid = "ADA5104";

    /// <summary>A warning: a result whose work a time cap cut (ADA4005) is kept locally and not shared: another machine, faster or slower, would compute other bytes.</summary>
    public const string RemoteCacheNotShared = "ADA5105";

    // Projects: `dotnet adadeep` listing, warm and report in a project folder (exit code 7).
    public const string ProjectNotFound = "ADA6001";
    public const string ProjectAmbiguous = "ADA6002";
    public const string ProjectEvaluationFailed = "ADA6003";
    public const string ProjectModelMissing = "ADA6004";
    public const string ProjectItemInvalid = "ADA6005";
    public const string ProjectSdkNotFound = "ADA6006";
    public const string ProjectEngineMismatch = "ADA6007";
    public const string ProjectWarmFailed = "ADA6008";

    /// <summary>The training library (TorchSharp/libtorch) failed natively twice for one warm job (it is retried once).</summary>
    public const string WarmNativeFailure = "ADA6102";

    // The command line (exit code 1, like every usage error): one line per problem instead of the help text.
    public const string CommandLineInvalid = "ADA6101";

    // Internal (exit code 70, like EX_SOFTWARE).
    public const string Internal = "ADA9001";

    public static int ExitCodeFor(string code) => code == CommandLineInvalid ? 1 : code.Length >= 4 ? code[3] switch
    {
        '1' => 2,
        '2' => 3,
        '3' => 4,
        '4' => 5,
        '5' => 6,
        '6' => 7,
        _ => 70,
    } : 70;
}
