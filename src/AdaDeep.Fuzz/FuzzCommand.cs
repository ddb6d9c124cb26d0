namespace AdaDeep.Fuzz;

/// <summary>Runs the command line: a timed (or counted) run that prints its report, or one input with --only.</summary>
public static class FuzzCommand
{
    /// <returns>0 when no input failed, 1 when some did, 2 for a usage error.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        FuzzOptions options;
        try
        {
            options = FuzzOptions.Parse(args);
        }
        catch (FormatException e)
        {
            output.WriteLine($"error: {e.Message}\n{FuzzOptions.Usage}");
            return 2;
        }

        var target = FuzzTargets.Create(options.Target, RepoFiles.FindRoot(options.Repo));
        var work = Path.Combine(Path.GetTempPath(), $"adadeep-fuzz-{Environment.ProcessId}");
        try
        {
            var runner = new FuzzRunner(target, options.ToSettings(work), output);
            if (options.Only is { } only)
            {
                var (seed, input, mutations) = runner.Generate(only);
                var outcome = runner.Execute(seed, input);
                Directory.CreateDirectory(options.OutFolder);
                var saved = Path.Combine(options.OutFolder, $"{target.Name}-{options.Seed}-{only}-{Path.GetFileName(seed.FileName)}");
                File.WriteAllBytes(saved, input);
                output.WriteLine($"input {only}: {input.Length} bytes from seed file {seed.Name}, {mutations}; saved to {saved}");
                output.WriteLine($"{outcome.Kind} {outcome.Code ?? outcome.Signature}");
                if (outcome.Detail is not null)
                {
                    output.WriteLine(outcome.Detail);
                }

                return outcome.Kind == OutcomeKind.Failed ? 1 : 0;
            }

            output.WriteLine($"fuzzing {target.Name} ({target.Seeds.Count} seed files, {target.Mutators.Select(m => m.Name).Distinct().Count()} mutations), seed {options.Seed}");
            var report = runner.Run();
            output.Write(report.ToString());
            return report.FailedInputs == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A hung input may still hold its folder.
            }
        }
    }
}
