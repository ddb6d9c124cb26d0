namespace AdaDeep.Engine.Pipeline;

/// <summary>The speed gate's verdicts as <see cref="CompressResult.SpeedGate"/> names them (the engine's SpeedGate decides).</summary>
public static class SpeedGateVerdicts
{
    /// <summary>The compressed model is not slower than the original in ONNX Runtime on this host.</summary>
    public const string Passed = "passed";

    /// <summary>The chosen model was slower; it ships without its deferred techniques (quantisation).</summary>
    public const string DroppedDeferred = "dropped-deferred";

    /// <summary>Every compressed variant was slower; the original model ships.</summary>
    public const string ShippedOriginal = "shipped-original";

    /// <summary>The target is not this host: the host figures are for information.</summary>
    public const string NotChecked = "not-checked";
}
