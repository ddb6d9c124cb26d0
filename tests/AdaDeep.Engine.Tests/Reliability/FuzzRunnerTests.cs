using AdaDeep.Fuzz;
using AdaDeep.Fuzz.Targets;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Reliability;

/// <summary>The fuzzer must see the bugs it is for: planted ones in a fake loader, each reported as a failure.</summary>
public sealed class FuzzRunnerTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "adadeep-fuzz-runner-" + Guid.NewGuid().ToString("N"));
    private readonly ManualResetEventSlim release = new(false);

    public void Dispose()
    {
        release.Set(); // frees a thread a hang test abandoned
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static TheoryData<string, string> PlantedBugs => new()
    {
        { "null", "NullReferenceException" },
        { "index", "IndexOutOfRangeException" },
        { "undocumented", "undocumented code ADA9001" },
        { "no-file", "names no file" },
        { "other-file", "names a file other than the input" },
        { "invariant", "invariant: the count is #" },
        { "allocate", "allocates more than 1 MB" },
    };

    [Theory]
    [MemberData(nameof(PlantedBugs))]
    public void A_planted_bug_is_reported_as_a_failure_with_its_input_saved(string bug, string signature)
    {
        var report = new FuzzRunner(new FakeTarget(bug, release), Settings(maxInputs: 5, maxAllocatedBytes: 1 << 20)).Run();

        var failure = Assert.Single(report.Failures.Values);
        Assert.Contains(signature, failure.Signature);
        Assert.Equal(4, failure.Count); // every mutant; the seed itself is accepted
        Assert.Equal(1, report.Accepted);
        Assert.NotNull(failure.SavedTo);
        Assert.True(File.Exists(failure.SavedTo));
        Assert.Contains("--only", File.ReadAllText(failure.SavedTo + ".txt"));
    }

    [Fact]
    public void A_hang_is_a_failure_and_the_run_goes_on()
    {
        var report = new FuzzRunner(new FakeTarget("hang", release), Settings(maxInputs: 3, timeout: TimeSpan.FromMilliseconds(200))).Run();

        var failure = Assert.Single(report.Failures.Values);
        Assert.StartsWith("hang", failure.Signature);
        Assert.Equal(2, failure.Count);
        Assert.Equal(3, report.Inputs);
    }

    [Fact]
    public void Documented_rejections_are_counted_by_code()
    {
        var report = new FuzzRunner(new FakeTarget("reject", release), Settings(maxInputs: 6)).Run();

        Assert.Empty(report.Failures);
        Assert.Equal(5, report.RejectedByCode[ErrorCodes.ModelNotOnnx]);
        Assert.Equal(1, report.Accepted);
    }

    [Fact]
    public void A_seed_file_that_is_rejected_is_a_failure()
    {
        var report = new FuzzRunner(new FakeTarget("reject-all", release), Settings(maxInputs: 1)).Run();

        Assert.Contains("seed file", Assert.Single(report.Failures.Values).Signature);
    }

    [Theory]
    [InlineData("onnx")]
    [InlineData("yaml")]
    [InlineData("data")]
    public void The_same_seed_gives_the_same_inputs_and_another_seed_others(string targetName)
    {
        var target = FuzzTargets.Create(targetName, RepoPaths.Root);
        var first = new FuzzRunner(target, Settings(seed: 7));
        var again = new FuzzRunner(target, Settings(seed: 7));
        var other = new FuzzRunner(target, Settings(seed: 8));

        var differs = 0;
        for (long i = target.Seeds.Count; i < target.Seeds.Count + 40; i++)
        {
            var (seed, input, mutations) = first.Generate(i);
            var (seedAgain, inputAgain, mutationsAgain) = again.Generate(i);
            Assert.Equal(seed.Name, seedAgain.Name);
            Assert.Equal(mutations, mutationsAgain);
            Assert.Equal(input, inputAgain);
            differs += other.Generate(i).Input.AsSpan().SequenceEqual(input) ? 0 : 1;
        }

        Assert.True(differs > 30, $"only {differs} of 40 inputs differ between seeds 7 and 8");
    }

    [Fact]
    public void Options_parse_the_documented_command_line()
    {
        var options = FuzzOptions.Parse(new[] { "yaml", "--seconds", "120", "--seed", "3", "--timeout-seconds", "5", "--out", "f" });

        Assert.Equal(("yaml", 120d, 3, 5d, "f"), (options.Target, options.Seconds!.Value, options.Seed, options.TimeoutSeconds, options.OutFolder));
        Assert.Equal(60, FuzzOptions.Parse(new[] { "onnx" }).Seconds);
        Assert.Throws<FormatException>(() => FuzzOptions.Parse(new[] { "pdf" }));
        Assert.Throws<FormatException>(() => FuzzOptions.Parse(new[] { "onnx", "--seconds", "-1" }));
    }

    [Fact]
    public void The_command_prints_counts_and_exits_0_when_nothing_failed()
    {
        var text = new StringWriter();

        var exit = FuzzCommand.Run(new[] { "yaml", "--inputs", "40", "--seed", "2", "--repo", RepoPaths.Root, "--out", Path.Combine(work, "out") }, text);

        Assert.True(exit == 0, text.ToString());
        Assert.Contains("40 inputs", text.ToString());
        Assert.Contains("accepted", text.ToString());
        Assert.Contains("ADA2002", text.ToString());
        Assert.Contains("failures  0", text.ToString());
    }

    private FuzzSettings Settings(int seed = 1, int maxInputs = 10, TimeSpan? timeout = null, long maxAllocatedBytes = FuzzSettings.DefaultMaxAllocatedBytes) =>
        new(seed, null, maxInputs, timeout ?? TimeSpan.FromSeconds(60), maxAllocatedBytes, Path.Combine(work, "inputs"), Path.Combine(work, "failures"));

    /// <summary>A loader with one planted bug: its seed file ("good") is accepted, anything else triggers the bug.</summary>
    private sealed class FakeTarget : IFuzzTarget
    {
        private readonly string bug;
        private readonly ManualResetEventSlim release;

        public FakeTarget(string bug, ManualResetEventSlim release)
        {
            this.bug = bug;
            this.release = release;
        }

        public string Name => "fake";

        public IReadOnlyList<FuzzSeed> Seeds { get; } = new[] { new FuzzSeed("good", "good"u8.ToArray(), "input.bin") };

        public IReadOnlyList<IMutator> Mutators { get; } = new IMutator[] { new ByteMutator(ByteMutation.InsertBytes) };

        public IReadOnlySet<string> DocumentedCodes { get; } = new HashSet<string> { ErrorCodes.ModelNotOnnx };

        public void Run(FuzzSeed seed, byte[] input, string folder)
        {
            var path = Path.Combine(folder, seed.FileName);
            File.WriteAllBytes(path, input);
            if (input.AsSpan().SequenceEqual(seed.Bytes) && bug != "reject-all")
            {
                return;
            }

            switch (bug)
            {
                case "null":
                    string? nothing = input.Length < 0 ? "" : null;
                    _ = nothing!.Length;
                    break;
                case "index":
                    _ = input[input.Length];
                    break;
                case "undocumented":
                    throw new AdaDeepException(ErrorCodes.Internal, "oops", path);
                case "no-file":
                    throw new AdaDeepException(ErrorCodes.ModelNotOnnx, "no file named");
                case "other-file":
                    throw new AdaDeepException(ErrorCodes.ModelNotOnnx, "wrong file", "/somewhere/else.onnx");
                case "invariant":
                    InvariantViolation.Check(false, $"the count is {-input.Length}");
                    break;
                case "allocate":
                    GC.KeepAlive(new byte[8 << 20]);
                    break;
                case "hang":
                    release.Wait();
                    break;
                default:
                    throw new AdaDeepException(ErrorCodes.ModelNotOnnx, "rejected", path);
            }
        }
    }
}
