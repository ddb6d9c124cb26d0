namespace AdaDeep.Engine.Cache;

/// <summary>One output of an action entry: a file name of the cache entry and the digest of its bytes in /cas/.</summary>
public sealed class BazelOutputFile
{
    public BazelOutputFile(string path, string sha256, long sizeBytes)
    {
        Path = path;
        Sha256 = sha256;
        SizeBytes = sizeBytes;
    }

    public string Path { get; }

    /// <summary>64 lowercase hex characters.</summary>
    public string Sha256 { get; }

    public long SizeBytes { get; }
}
