using System.IO.Compression;

namespace AdaDeep.Cli.Tests.Packaging;

/// <summary>
/// Tells a package file's binary format and target from its first bytes: ELF (e_machine), Mach-O (cputype), PE
/// (machine, and whether it has a CLI header, i.e. is a managed assembly that runs anywhere).
/// </summary>
internal static class BinaryKind
{
    public enum Kind { Other, Elf, MachO, NativePe, ManagedPe }

    public static Kind Of(ZipArchiveEntry entry) => Classify(Head(entry, 4096)).Kind;

    /// <summary>The RID a native binary is built for (linux-x64, osx-arm64, win-x64, ...), or null.</summary>
    public static string? TargetOf(ZipArchiveEntry entry) => Classify(Head(entry, 4096)).Rid;

    internal static (Kind Kind, string? Rid) Classify(byte[] b)
    {
        if (b.Length >= 20 && b[0] == 0x7F && b[1] == (byte)'E' && b[2] == (byte)'L' && b[3] == (byte)'F')
        {
            var machine = BitConverter.ToUInt16(b, 18);
            return (Kind.Elf, machine switch { 0x3E => "linux-x64", 0xB7 => "linux-arm64", _ => null });
        }

        if (b.Length >= 8 && BitConverter.ToUInt32(b, 0) == 0xFEEDFACF)
        {
            var cpu = BitConverter.ToUInt32(b, 4);
            return (Kind.MachO, cpu switch { 0x0100000C => "osx-arm64", 0x01000007 => "osx-x64", _ => null });
        }

        if (b.Length >= 8 && BitConverter.ToUInt32(b, 0) == 0xBEBAFECA)
        {
            // A universal Mach-O (big-endian header), e.g. SkiaSharp's x64 + arm64 dylibs: fine for osx-arm64 when one
            // of its slices is arm64 (the other is the same OS).
            var count = ReadBigEndian(b, 4);
            for (var i = 0; i < count && 8 + (i * 20) + 4 <= b.Length; i++)
            {
                if (ReadBigEndian(b, 8 + (i * 20)) == 0x0100000C)
                {
                    return (Kind.MachO, "osx-arm64");
                }
            }

            return (Kind.MachO, null);
        }

        if (b.Length >= 0x40 && b[0] == (byte)'M' && b[1] == (byte)'Z')
        {
            var pe = BitConverter.ToInt32(b, 0x3C);
            if (pe > 0 && pe + 24 + 2 <= b.Length && BitConverter.ToUInt32(b, pe) == 0x00004550)
            {
                var machine = BitConverter.ToUInt16(b, pe + 4);
                var optional = pe + 24;
                var magic = BitConverter.ToUInt16(b, optional);
                // Data directory 14 (the CLI header) of a PE32 (0x10b) or PE32+ (0x20b) optional header.
                var cliDirectory = optional + (magic == 0x20B ? 112 : 96) + 14 * 8;
                var managed = cliDirectory + 8 <= b.Length && BitConverter.ToUInt32(b, cliDirectory) != 0;
                var rid = machine switch { 0x8664 => "win-x64", 0xAA64 => "win-arm64", 0x14C => "win-x86", _ => null };
                return (managed ? Kind.ManagedPe : Kind.NativePe, rid);
            }
        }

        return (Kind.Other, null);
    }

    private static uint ReadBigEndian(byte[] b, int offset) =>
        (uint)((b[offset] << 24) | (b[offset + 1] << 16) | (b[offset + 2] << 8) | b[offset + 3]);

    private static byte[] Head(ZipArchiveEntry entry, int count)
    {
        using var stream = entry.Open();
        var buffer = new byte[Math.Min(count, entry.Length)];
        var read = 0;
        while (read < buffer.Length && stream.Read(buffer, read, buffer.Length - read) is var n and > 0)
        {
            read += n;
        }

        return buffer[..read];
    }
}
