using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Fuzz;

/// <summary>
/// The fuzzing loop shared by the console app and the bounded test: generates input <c>i</c> from (seed, i) alone, so
/// any input can be regenerated; runs it on its own thread under a timeout and an allocation limit; classifies the
/// outcome; saves the first input of each failure cause. The unmutated seeds come first and must be accepted.
/// </summary>
public sealed partial class FuzzRunner
{
    /// <summary>Mutants are cut to this size: the formats' limits are tested by the header mutations, not by size.</summary>
    public const int MaxInputBytes = 4 << 20;

    private readonly IFuzzTarget target;
    private readonly FuzzSettings settings;
    private readonly TextWriter? progress;
    private int abandoned;
    private int generation;

    public FuzzRunner(IFuzzTarget target, FuzzSettings settings, TextWriter? progress = null)
    {
        this.target = target;
        this.settings = settings;
        this.progress = progress;
        if (target.Seeds.Count == 0)
        {
            throw new ArgumentException($"target '{target.Name}' has no seed files", nameof(target));
        }
    }

    public FuzzReport Run()
    {
        var report = new FuzzReport(target.Name, settings.Seed);
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        for (long i = 0; ; i++)
        {
            if ((settings.MaxInputs is { } max && i >= max) || (settings.Duration is { } duration && clock.Elapsed >= duration))
            {
                break;
            }

            if (abandoned >= FuzzSettings.MaxAbandonedThreads)
            {
                progress?.WriteLine($"stopping: {abandoned} inputs hung and their threads are still running");
                break;
            }

            var (seed, input, mutations) = Generate(i);
            var outcome = Execute(seed, input);
            if (i < target.Seeds.Count && outcome.Kind != OutcomeKind.Accepted)
            {
                outcome = FuzzOutcome.Failed($"seed file '{seed.Name}' is not accepted", outcome.Detail ?? outcome.Code ?? "");
            }

            string? savedTo = null;
            if (outcome.Kind == OutcomeKind.Failed && !report.Failures.ContainsKey(outcome.Signature!))
            {
                savedTo = Save(seed, input, i, mutations, outcome);
            }

            report.Add(outcome, i, seed.Name, mutations, savedTo);
            if (progress is not null && clock.Elapsed - lastProgress >= TimeSpan.FromSeconds(10))
            {
                lastProgress = clock.Elapsed;
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {clock.Elapsed.TotalSeconds:F0} s: {report.Inputs} inputs, {report.Accepted} accepted, {report.Rejected} rejected, {report.FailedInputs} failed"));
            }
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>Input <paramref name="iteration"/> of this seed: the seed files first, then mutants (1 to 3 stacked mutations).</summary>
    public (FuzzSeed Seed, byte[] Input, string Mutations) Generate(long iteration)
    {
        var seeds = target.Seeds;
        if (iteration < seeds.Count)
        {
            var seed = seeds[(int)iteration];
            return (seed, seed.Bytes, "unmutated");
        }

        var random = new Random(Mix(settings.Seed, iteration));
        var chosen = seeds[random.Next(seeds.Count)];
        var input = chosen.Bytes;
        var names = new List<string>();
        var count = random.Next(4) switch { 0 or 1 => 1, 2 => 2, _ => 3 };
        for (var m = 0; m < count; m++)
        {
            var mutator = target.Mutators[random.Next(target.Mutators.Count)];
            names.Add(mutator.Name);
            try
            {
                input = mutator.Mutate(input, random, seeds);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
            {
                // A mutator that cannot read an already-damaged input: a bit flip instead (deterministic all the same).
                input = new ByteMutator(ByteMutation.BitFlip).Mutate(input, random, seeds);
            }

            if (input.Length > MaxInputBytes)
            {
                input = input.AsSpan(0, MaxInputBytes).ToArray();
            }
        }

        return (chosen, input, string.Join("+", names));
    }

    /// <summary>Runs one input under the timeout and the allocation limit, and classifies what happened.</summary>
    public FuzzOutcome Execute(FuzzSeed seed, byte[] input)
    {
        var folder = PrepareFolder();
        FuzzOutcome? outcome = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Run(seed, input, folder);
                outcome = FuzzOutcome.Accepted;
            }
            catch (AdaDeepException e)
            {
                outcome = Classify(e, folder);
            }
            catch (InvariantViolation e)
            {
                outcome = FuzzOutcome.Failed("invariant: " + Variables().Replace(e.Message, "#"), e.ToString());
            }
            catch (Exception e)
            {
                outcome = FuzzOutcome.Failed($"{e.GetType().Name} in {WhereThrown(e)}", e.ToString());
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        })
        {
            IsBackground = true,
            Name = "fuzz input",
        };
        thread.Start();
        if (!thread.Join(settings.InputTimeout))
        {
            abandoned++;
            generation++; // the hung thread keeps its folder
            return FuzzOutcome.Failed($"hang (no result within {settings.InputTimeout.TotalSeconds:F0} s)",
                $"input of {input.Length} bytes from seed '{seed.Name}' still running after {settings.InputTimeout.TotalSeconds:F0} s");
        }

        var limit = settings.MaxAllocatedBytes + 16L * input.Length;
        if (outcome!.Kind != OutcomeKind.Failed && allocated > limit)
        {
            return FuzzOutcome.Failed($"allocates more than {settings.MaxAllocatedBytes >> 20} MB ({outcome.Kind}{(outcome.Code is null ? "" : " " + outcome.Code)})",
                $"{allocated >> 20} MB allocated for an input of {input.Length} bytes");
        }

        return outcome;
    }

    private FuzzOutcome Classify(AdaDeepException e, string folder)
    {
        if (!target.DocumentedCodes.Contains(e.Code))
        {
            return FuzzOutcome.Failed($"undocumented code {e.Code} in {WhereThrown(e)}", e.ToMSBuildString() + "\n" + e.StackTrace);
        }

        if (string.IsNullOrEmpty(e.File))
        {
            return FuzzOutcome.Failed($"{e.Code} names no file, in {WhereThrown(e)}", e.ToMSBuildString() + "\n" + e.StackTrace);
        }

        if (!Path.GetFullPath(e.File).StartsWith(Path.GetFullPath(folder), StringComparison.Ordinal))
        {
            return FuzzOutcome.Failed($"{e.Code} names a file other than the input, in {WhereThrown(e)}", e.ToMSBuildString() + "\n" + e.StackTrace);
        }

        return FuzzOutcome.Rejected(e.Code);
    }

    /// <summary>The first AdaDeep method (outside the fuzzer) on the exception's stack: where the bug is.</summary>
    private static string WhereThrown(Exception e)
    {
        var frames = new StackTrace(e, fNeedFileInfo: false).GetFrames();
        var method = frames.Select(f => f.GetMethod())
            .FirstOrDefault(m => m?.DeclaringType?.FullName is { } type && type.StartsWith("AdaDeep.", StringComparison.Ordinal) && !type.StartsWith("AdaDeep.Fuzz", StringComparison.Ordinal));
        if (method is null)
        {
            return frames.FirstOrDefault()?.GetMethod()?.Name ?? "?";
        }

        var typeName = method.DeclaringType!.FullName!;
        var cut = typeName.IndexOf('+'); // lambdas and iterators: name the type that holds them
        return $"{(cut > 0 ? typeName[..cut] : typeName)}.{method.Name}";
    }

    private string PrepareFolder()
    {
        var folder = Path.Combine(settings.WorkFolder, target.Name + "-" + generation.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    private string? Save(FuzzSeed seed, byte[] input, long iteration, string mutations, FuzzOutcome outcome)
    {
        if (settings.FailureFolder is null)
        {
            return null;
        }

        var folder = Path.Combine(settings.FailureFolder, target.Name);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(outcome.Signature!)))[..10];
        var path = Path.Combine(folder, $"{id}-{iteration}-{Path.GetFileName(seed.FileName)}");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(path, input);
            File.WriteAllText(path + ".txt",
                $"{outcome.Signature}\ntarget {target.Name}, seed {settings.Seed}, input {iteration}, seed file {seed.Name} ({seed.FileName}), mutations {mutations}\n" +
                $"reproduce: dotnet run --project src/AdaDeep.Fuzz -- {target.Name} --seed {settings.Seed} --only {iteration}\n\n{outcome.Detail}\n");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The report still names the input: --only regenerates it.
            progress?.WriteLine($"cannot save the failing input {iteration}: {e.Message}");
            return null;
        }
    }

    /// <summary>SplitMix64 of (seed, iteration): independent, reproducible random streams per input.</summary>
    internal static int Mix(int seed, long iteration)
    {
        var z = unchecked(((ulong)(uint)seed << 32) ^ (ulong)iteration) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    /// <summary>Numbers and quoted names in an invariant's message: the same broken rule on other values is one cause.</summary>
    [GeneratedRegex(@"'[^']*'|-?\d+(\.\d+)?(E[+-]?\d+)?|-?Infinity|NaN")]
    private static partial Regex Variables();
}
