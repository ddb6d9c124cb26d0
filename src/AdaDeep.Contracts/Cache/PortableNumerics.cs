namespace AdaDeep.Engine.Cache;

/// <summary>
/// The native math settings that make the engine's output the same bytes on any x86-64 CPU (issue 25): libtorch picks
/// its kernels by the CPU it finds (ATen's AVX-512/AVX2/default paths, oneDNN's ISA, MKL's code path), so a fine-tune
/// summed in another order on another CPU ships other bytes — measured: the main job's model hashed c87bbd4f… with the
/// paths this AVX-512 machine picks and a4d17e7b… with ATen/MKL/oneDNN held to AVX2. The engine pins each to the path
/// every x86-64 CPU has (<see cref="Pins"/>), unless the user set the variable or opted out with
/// <see cref="OptOutVariable"/>=1 (the CPU's fastest paths; results then depend on the CPU, and the cache key says so).
/// </summary>
public static class PortableNumerics
{
    public const string OptOutVariable = "ADADEEP_NATIVE_NUMERICS";

    /// <summary>Variable → the value every x86-64 CPU can run: MKL's compatible code path, ATen's scalar kernels,
    /// oneDNN up to SSE4.1.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pins { get; } = new[]
    {
        new KeyValuePair<string, string>("MKL_CBWR", "COMPATIBLE"),
        new KeyValuePair<string, string>("ATEN_CPU_CAPABILITY", "default"),
        new KeyValuePair<string, string>("ONEDNN_MAX_CPU_ISA", "SSE41"),
    };

    public static bool OptedOut => Environment.GetEnvironmentVariable(OptOutVariable) is "1" or "true" or "True";

    /// <summary>
    /// The numeric mode for the cache key: "portable", plus any pinned variable the user set to another value; or
    /// "native:" and the CPU model, since native results differ between CPUs. The same in the MSBuild task (which
    /// never pins) and in the tool (which has pinned): a pinned value equal to the default reads as unset.
    /// </summary>
    public static string Identity()
    {
        if (OptedOut)
        {
            return "native:" + CpuModel();
        }

        var changed = Pins
            .Select(p => (p.Key, Pinned: p.Value, Value: Environment.GetEnvironmentVariable(p.Key)))
            .Where(p => !string.IsNullOrEmpty(p.Value) && p.Value != p.Pinned)
            .Select(p => $";{p.Key}={p.Value}");
        return "portable" + string.Concat(changed);
    }

    private static string CpuModel()
    {
        try
        {
            return File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(new[] { ':' }, 2)[1].Trim() ?? "unknown"
                : System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
