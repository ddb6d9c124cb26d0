namespace AdaDeep.Compression.FineTuning;

/// <summary>Why training ended.</summary>
public enum FineTuneStopReason
{
    /// <summary>Ran all FineTuneOptions.MaxEpochs epochs.</summary>
    MaxEpochs,

    /// <summary>Validation accuracy did not improve for FineTuneOptions.Patience epochs.</summary>
    EarlyStopping,

    /// <summary>FineTuneOptions.TimeBudget ran out.</summary>
    TimeBudget,
}
