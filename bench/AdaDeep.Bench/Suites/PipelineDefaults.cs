using System.Globalization;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Bench.Suites;

/// <summary>The pipeline's default search and fine-tuning bounds, read from CompressRequest so that the notes never go stale.</summary>
public static class PipelineDefaults
{
    public static double FineTuneCapSeconds { get; } = new CompressRequest { ModelPath = "-", Device = "-", OutputPath = "-" }.FineTuneBudget.TotalSeconds;

    /// <summary>"60 DQN episodes within a 180 s search cap; final fine-tune 3 epochs within a 120 s cap".</summary>
    public static string Describe() => string.Format(CultureInfo.InvariantCulture,
        "{0} DQN episodes within a {1:0} s search cap; final fine-tune {2} epochs within a {3:0} s cap",
        CompressRequest.DefaultEpisodes, CompressRequest.DefaultTimeBudgetSeconds, CompressRequest.DefaultFineTuneEpochs, FineTuneCapSeconds);
}
