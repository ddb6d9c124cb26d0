namespace AdaDeep.Search.Core;

/// <summary>
/// The paper's figures for one configuration (a technique or none per decision point): accuracy A in [0, 1],
/// latency T in ms, storage S_p in MiB (weights that ship), energy E in mJ per inference, computation C in MACs.
/// </summary>
public sealed record ConfigurationMetrics(double Accuracy, double LatencyMs, double StorageMB, double EnergyMJ, long Macs);
