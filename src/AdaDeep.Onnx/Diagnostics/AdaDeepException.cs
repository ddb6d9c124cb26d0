namespace AdaDeep.Onnx.Diagnostics;

/// <summary>
/// An error the user can act on: a stable code (see <see cref="ErrorCodes"/>), a message, and the file it concerns.
/// Printed in the MSBuild canonical form <c>file: error CODE: message</c> so build logs and IDEs pick it up.
/// </summary>
public class AdaDeepException : Exception
{
    public AdaDeepException(string code, string message, string? file = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
    }

    public string Code { get; }

    public string? File { get; }

    /// <summary>The exit code the CLI uses for this error's family (documented in README).</summary>
    public int ExitCode => ErrorCodes.ExitCodeFor(Code);

    public string ToMSBuildString() =>
        $"{(string.IsNullOrEmpty(File) ? "adadeep" : File)}: error {Code}: {Message}";

    public override string ToString() => ToMSBuildString();
}
