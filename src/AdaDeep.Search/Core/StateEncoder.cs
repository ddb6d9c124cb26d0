using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Search.Core;

/// <summary>
/// Builds the agent's state o: features of the layer being decided, and what the configuration so far uses of
/// each budget. All features are scaled to roughly [0, 1] so one network fits models of any size.
/// <list type="table">
/// <item><term>0–2</term><description>layer kind one-hot: conv, fully connected, other</description></item>
/// <item><term>3</term><description>log10(1 + parameters) / 8</description></item>
/// <item><term>4</term><description>log10(1 + MACs) / 10</description></item>
/// <item><term>5–6</term><description>log10(1 + input channels) / 4, log10(1 + output channels) / 4</description></item>
/// <item><term>7</term><description>position / number of decision points (1 once done)</description></item>
/// <item><term>8–10</term><description>latency, storage, energy of the configuration so far, relative to their
/// budgets (or the original model's figure when no budget is set), clamped to [0, 4]</description></item>
/// <item><term>11</term><description>accuracy so far</description></item>
/// </list>
/// </summary>
public static class StateEncoder
{
    public const int FeatureCount = 12;

    public static float[] Encode(LayerFeatures? layer, int position, int count, ConfigurationMetrics current, RewardFunction reward)
    {
        var s = new float[FeatureCount];
        if (layer is not null)
        {
            var kindIndex = layer.Kind switch
            {
                LayerKind.Conv => 0,
                LayerKind.FullyConnected => 1,
                _ => 2,
            };
            s[kindIndex] = 1f;
            s[3] = Log(layer.Parameters, 8);
            s[4] = Log(layer.Macs, 10);
            s[5] = Log(layer.InChannels, 4);
            s[6] = Log(layer.OutChannels, 4);
        }

        s[7] = count == 0 ? 1f : (float)position / count;
        s[8] = Ratio(current.LatencyMs, reward.LatencyReference);
        s[9] = Ratio(current.StorageMB, reward.StorageReference);
        s[10] = Ratio(current.EnergyMJ, reward.EnergyReference);
        s[11] = (float)Math.Clamp(current.Accuracy, 0, 1);
        return s;
    }

    private static float Log(long value, double scale) => (float)(Math.Log10(1 + Math.Max(0, value)) / scale);

    private static float Ratio(double value, double reference) => (float)Math.Clamp(value / reference, 0, 4);
}
