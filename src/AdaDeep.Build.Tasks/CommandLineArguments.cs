using System.Text;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Joins arguments into one command line that the child's runtime splits back into the same list (the rules of
/// CommandLineToArgvW, which .NET also applies on Unix). netstandard2.0 has no ProcessStartInfo.ArgumentList.
/// </summary>
internal static class CommandLineArguments
{
    public static string Join(IEnumerable<string> arguments) => string.Join(" ", arguments.Select(Quote));

    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c != '"' && c != '\''))
        {
            return argument;
        }

        var text = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                // Backslashes before a quote are doubled, and the quote itself escaped.
                text.Append('\\', backslashes * 2 + 1).Append('"');
            }
            else
            {
                text.Append('\\', backslashes).Append(c);
            }

            backslashes = 0;
        }

        // Backslashes before the closing quote are doubled so they do not escape it.
        text.Append('\\', backslashes * 2).Append('"');
        return text.ToString();
    }
}
