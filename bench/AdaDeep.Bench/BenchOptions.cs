namespace AdaDeep.Bench;

/// <summary>The command line: <c>&lt;suite&gt; [--quick] [--out DIR]</c>.</summary>
public sealed record BenchOptions(string Suite, bool Quick, string OutputDirectory)
{
    public static BenchOptions Parse(IReadOnlyList<string> args, string defaultOutput)
    {
        string? suite = null;
        var quick = false;
        var output = defaultOutput;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Count:
                    output = Path.GetFullPath(args[++i]);
                    break;
                default:
                    if (args[i].StartsWith('-') || suite is not null)
                    {
                        throw new ArgumentException($"unexpected argument '{args[i]}'");
                    }

                    suite = args[i];
                    break;
            }
        }

        return new BenchOptions(suite ?? throw new ArgumentException("name a suite"), quick, output);
    }
}
