using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// Pins libtorch's math to the code paths every x86-64 CPU has (<see cref="AdaDeep.Engine.Cache.PortableNumerics"/>),
/// so the same inputs give the same bytes on any machine; with ADADEEP_NATIVE_NUMERICS=1, only MKL_CBWR=AUTO below.
/// Makes libtorch's MKL reproducible run to run. Without conditional numerical reproducibility MKL picks its sgemm
/// code path by the memory alignment of each call's arrays, so two identical fine-tunes in one process gave model
/// bytes that differed in the last bits (seen here: DistillerTests.FineTune_IsDeterministic failed every time on a
/// loaded machine and passed with MKL_CBWR=AUTO). MKL reads MKL_CBWR once, at its first call, so it is set in the
/// native environment when this assembly loads, before any TorchSharp use; a value the user set is kept.
/// </summary>
internal static class TorchDeterminism
{
    public const string Variable = "MKL_CBWR";

#pragma warning disable CA2255 // must run before any TorchSharp call, whichever type of this library is used first
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        if (AdaDeep.Engine.Cache.PortableNumerics.OptedOut)
        {
            SetUnlessSet(Variable, "AUTO");
            return;
        }

        foreach (var (name, value) in AdaDeep.Engine.Cache.PortableNumerics.Pins)
        {
            SetUnlessSet(name, value);
        }
    }

    /// <summary>Sets a variable the user did not set, in .NET's environment and in libc's.</summary>
    private static void SetUnlessSet(string name, string value)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            return;
        }

        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows())
        {
            // .NET keeps its own copy of the environment on Unix: native code (MKL, ATen, oneDNN) only sees libc's.
            _ = setenv(name, value, 0);
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
