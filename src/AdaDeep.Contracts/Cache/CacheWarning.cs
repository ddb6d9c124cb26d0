namespace AdaDeep.Engine.Cache;

/// <summary>A problem the cache worked around (e.g. a read-only root): reported as a warning, never fatal.</summary>
public sealed class CacheWarning
{
    public CacheWarning(string code, string message, string? file)
    {
        Code = code;
        Message = message;
        File = file;
    }

    public string Code { get; }

    public string Message { get; }

    public string? File { get; }

    public override string ToString() => $"{File ?? "adadeep"}: warning {Code}: {Message}";
}
