namespace AdaDeep.Engine.Cache;

/// <summary>
/// The action entry (<c>/ac/&lt;key&gt;</c>) of Bazel's remote cache protocol: a protobuf
/// <c>build.bazel.remote.execution.v2.ActionResult</c> holding only <c>output_files</c> (field 2: OutputFile{path = 1,
/// digest = 2: Digest{hash = 1, size_bytes = 2}}). Real protobuf on purpose: bazel-remote validates action entries
/// and checks that the blobs they name exist. Hand-written for these few fields rather than a protobuf dependency in
/// the MSBuild task's process. Unknown fields are skipped on read (other writers may add metadata).
/// </summary>
public static class BazelActionResult
{
    /// <summary>An action entry is a few hundred bytes; anything far larger is not ours.</summary>
    public const int MaxBytes = 1 << 20;

    public static byte[] Encode(IEnumerable<BazelOutputFile> files)
    {
        var result = new List<byte>();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var digest = new List<byte>();
            WriteBytes(digest, 1, System.Text.Encoding.UTF8.GetBytes(file.Sha256));
            WriteTag(digest, 2, 0);
            WriteVarint(digest, (ulong)file.SizeBytes);

            var output = new List<byte>();
            WriteBytes(output, 1, System.Text.Encoding.UTF8.GetBytes(file.Path));
            WriteBytes(output, 2, digest.ToArray());
            WriteBytes(result, 2, output.ToArray());
        }

        return result.ToArray();
    }

    /// <summary>The output files of an action entry.</summary>
    /// <exception cref="FormatException">The bytes are not a well-formed ActionResult, or an output lacks a valid digest.</exception>
    public static IReadOnlyList<BazelOutputFile> Decode(byte[] bytes)
    {
        var files = new List<BazelOutputFile>();
        foreach (var (field, value) in Fields(bytes))
        {
            if (field != 2)
            {
                continue;
            }

            string? path = null;
            string? hash = null;
            long size = -1;
            foreach (var (outputField, outputValue) in Fields(Bytes(value)))
            {
                if (outputField == 1)
                {
                    path = Text(outputValue);
                }
                else if (outputField == 2)
                {
                    foreach (var (digestField, digestValue) in Fields(Bytes(outputValue)))
                    {
                        if (digestField == 1)
                        {
                            hash = Text(digestValue);
                        }
                        else if (digestField == 2)
                        {
                            size = digestValue is ulong n && n <= long.MaxValue ? (long)n : throw new FormatException("a digest size is not a varint");
                        }
                    }
                }
            }

            if (path is null || !CacheKey.IsValidKey(hash) || size < 0)
            {
                throw new FormatException("an output file of the action entry has no path or no valid SHA-256 digest");
            }

            files.Add(new BazelOutputFile(path, hash!, size));
        }

        return files;
    }

    private static IEnumerable<(int Field, object Value)> Fields(byte[] bytes)
    {
        var position = 0;
        while (position < bytes.Length)
        {
            var tag = ReadVarint(bytes, ref position);
            var field = (int)(tag >> 3);
            if (field == 0)
            {
                throw new FormatException("field number 0 in protobuf data");
            }

            switch ((int)(tag & 7))
            {
                case 0:
                    yield return (field, ReadVarint(bytes, ref position));
                    break;
                case 1:
                    position = Skip(bytes, position, 8);
                    break;
                case 2:
                    var length = ReadVarint(bytes, ref position);
                    if (length > (ulong)(bytes.Length - position))
                    {
                        throw new FormatException("a protobuf field runs past the end of the data");
                    }

                    var value = new byte[(int)length];
                    Array.Copy(bytes, position, value, 0, value.Length);
                    position += value.Length;
                    yield return (field, value);
                    break;
                case 5:
                    position = Skip(bytes, position, 4);
                    break;
                default:
                    throw new FormatException("unsupported protobuf wire type");
            }
        }
    }

    private static byte[] Bytes(object value) => value as byte[] ?? throw new FormatException("expected a length-delimited protobuf field");

    private static string Text(object value) => System.Text.Encoding.UTF8.GetString(Bytes(value));

    private static int Skip(byte[] bytes, int position, int count) =>
        bytes.Length - position >= count ? position + count : throw new FormatException("a protobuf field runs past the end of the data");

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new FormatException("a protobuf varint runs past the end of the data");
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("a protobuf varint is longer than 10 bytes");
    }

    private static void WriteTag(List<byte> output, int field, int wireType) => WriteVarint(output, (ulong)((field << 3) | wireType));

    private static void WriteBytes(List<byte> output, int field, byte[] value)
    {
        WriteTag(output, field, 2);
        WriteVarint(output, (ulong)value.Length);
        output.AddRange(value);
    }

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }

        output.Add((byte)value);
    }
}
