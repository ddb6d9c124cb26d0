namespace AdaDeep.Cli;

/// <summary>Builds the command tree and runs it (commands live in Commands/, one per file).</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("adadeep: commands are not wired yet");
        return 70;
    }
}
