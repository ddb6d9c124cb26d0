using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AdaDeep.Compression.Torch;

/// <summary>
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
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        Environment.SetEnvironmentVariable(Variable, "AUTO");
        if (!OperatingSystem.IsWindows())
        {
            // .NET keeps its own copy of the environment on Unix: native code (MKL) only sees libc's.
            _ = setenv(Variable, "AUTO", 0);
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
