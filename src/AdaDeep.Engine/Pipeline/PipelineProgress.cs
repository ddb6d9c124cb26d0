namespace AdaDeep.Engine.Pipeline;

/// <summary>One progress event of a compression run: overall percent (0–100), the stage, and a message.</summary>
public sealed record PipelineProgress(double Percent, string Stage, string Message);
