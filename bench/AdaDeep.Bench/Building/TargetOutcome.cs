namespace AdaDeep.Bench.Building;

/// <summary>What MSBuild did with one target in a build, as its detailed log says.</summary>
public enum TargetOutcome
{
    /// <summary>The log never mentions the target: nothing depended on it.</summary>
    NotRun,

    /// <summary>"Skipping target "X" because all output files are up-to-date with respect to the input files."</summary>
    SkippedUpToDate,

    /// <summary>"Target "X" skipped, due to false condition".</summary>
    SkippedFalseCondition,

    /// <summary>"Building target "X" completely/partially", or a target without Inputs/Outputs that ran.</summary>
    Ran,
}
