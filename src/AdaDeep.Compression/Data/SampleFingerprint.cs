using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AdaDeep.Compression.Data;

/// <summary>
/// The identity of a sample by its values (SHA-256 of its float32 bytes), so two data sets can be checked for shared
/// samples whatever file or order they came from: the pipeline warns when the test data overlaps the training data,
/// and tests prove the search and fine-tuning never saw a test sample.
/// </summary>
public static class SampleFingerprint
{
    /// <summary>The fingerprint of sample <paramref name="index"/> (hex).</summary>
    public static string Of(Dataset data, int index) =>
        Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(data.Sample(index))));

    /// <summary>The fingerprints of every sample.</summary>
    public static HashSet<string> All(Dataset data)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < data.Count; i++)
        {
            set.Add(Of(data, i));
        }

        return set;
    }

    /// <summary>How many samples of <paramref name="data"/> have a fingerprint in <paramref name="others"/>.</summary>
    public static int CountIn(Dataset data, IReadOnlySet<string> others)
    {
        var shared = 0;
        for (var i = 0; i < data.Count; i++)
        {
            if (others.Contains(Of(data, i)))
            {
                shared++;
            }
        }

        return shared;
    }
}
