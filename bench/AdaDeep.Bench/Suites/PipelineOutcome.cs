using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Bench.Suites;

/// <summary>A CompressPipeline run as the benchmarks see it: its result, the search's best reward, and its wall time.</summary>
public sealed record PipelineOutcome(CompressResult Result, double BestReward, bool BestMeetsBudgets, double WallSeconds, byte[] ModelBytes);
