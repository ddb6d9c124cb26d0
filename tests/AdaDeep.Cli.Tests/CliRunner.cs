namespace AdaDeep.Cli.Tests;

/// <summary>Runs the CLI in process with its standard output and error captured.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CliApp.Run(args, output, error);
        return new Result(exit, output.ToString(), error.ToString());
    }
}

/// <summary>A temporary folder deleted after each test.</summary>
public abstract class TempFolderTest : IDisposable
{
    protected TempFolderTest()
    {
        Folder = Directory.CreateTempSubdirectory("adadeep-cli-").FullName;
    }

    protected string Folder { get; }

    protected string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    protected string WriteText(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
