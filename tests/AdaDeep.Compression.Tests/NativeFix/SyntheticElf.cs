using System.Text;

namespace AdaDeep.Compression.Tests.NativeFix;

/// <summary>
/// A minimal ELF64 little-endian image made by hand: a header, a .dynstr, a .gnu.version_r needing
/// libstdc++.so.6 (GLIBCXX_3.4.30, GLIBCXX_3.4.32) and libc.so.6 (GLIBC_2.2.5), and the section headers.
/// </summary>
internal sealed class SyntheticElf
{
    public byte[] Bytes { get; private init; } = Array.Empty<byte>();

    /// <summary>File offset of each Vernaux entry's vna_flags, by version name.</summary>
    public Dictionary<string, int> FlagsOffsets { get; } = new();

    public int SectionHeadersOffset { get; private init; }

    public static SyntheticElf Build(ushort initialFlags = 0)
    {
        var strings = new MemoryStream();
        var nameOffsets = new Dictionary<string, int>();
        strings.WriteByte(0);
        foreach (var s in new[] { "libstdc++.so.6", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32", "libc.so.6", "GLIBC_2.2.5", ".dynstr", ".gnu.version_r" })
        {
            nameOffsets[s] = (int)strings.Length;
            strings.Write(Encoding.ASCII.GetBytes(s));
            strings.WriteByte(0);
        }

        var dynstr = strings.ToArray();
        const int dynstrOffset = 64;
        var verneedOffset = (dynstrOffset + dynstr.Length + 7) / 8 * 8;
        // Two Verneed entries (16 bytes each) with 2 + 1 Vernaux entries (16 bytes each), laid out need, aux, aux, need, aux.
        const int verneedSize = 5 * 16;
        var shOffset = (verneedOffset + verneedSize + 7) / 8 * 8;
        const int sectionCount = 3; // null, .dynstr, .gnu.version_r (.dynstr doubles as the section-name table)
        var image = new byte[shOffset + sectionCount * 64];
        var elf = new SyntheticElf { Bytes = image, SectionHeadersOffset = shOffset };

        // ELF header.
        image[0] = 0x7f; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
        image[4] = 2; image[5] = 1; image[6] = 1;
        W16(image, 0x10, 3);      // e_type ET_DYN
        W16(image, 0x12, 62);     // e_machine x86-64
        W32(image, 0x14, 1);      // e_version
        W64(image, 0x28, (ulong)shOffset);
        W16(image, 0x34, 64);     // e_ehsize
        W16(image, 0x3A, 64);     // e_shentsize
        W16(image, 0x3C, sectionCount);
        W16(image, 0x3E, 1);      // e_shstrndx

        dynstr.CopyTo(image, dynstrOffset);

        // libstdc++.so.6: GLIBCXX_3.4.30, GLIBCXX_3.4.32.
        var need1 = verneedOffset;
        WriteVerneed(image, need1, count: 2, file: nameOffsets["libstdc++.so.6"], aux: 16, next: 48);
        elf.WriteVernaux(image, need1 + 16, "GLIBCXX_3.4.30", nameOffsets, initialFlags: 0, other: 3, next: 16);
        elf.WriteVernaux(image, need1 + 32, "GLIBCXX_3.4.32", nameOffsets, initialFlags, other: 4, next: 0);
        var need2 = need1 + 48;
        WriteVerneed(image, need2, count: 1, file: nameOffsets["libc.so.6"], aux: 16, next: 0);
        elf.WriteVernaux(image, need2 + 16, "GLIBC_2.2.5", nameOffsets, initialFlags: 0, other: 2, next: 0);

        // Section 1: .dynstr (SHT_STRTAB).
        var sh1 = shOffset + 64;
        W32(image, sh1, (uint)nameOffsets[".dynstr"]);
        W32(image, sh1 + 4, 3);
        W64(image, sh1 + 0x18, dynstrOffset);
        W64(image, sh1 + 0x20, (ulong)dynstr.Length);
        // Section 2: .gnu.version_r, linked to .dynstr, two entries.
        var sh2 = shOffset + 128;
        W32(image, sh2, (uint)nameOffsets[".gnu.version_r"]);
        W32(image, sh2 + 4, 0x6ffffffe);
        W64(image, sh2 + 0x18, (ulong)verneedOffset);
        W64(image, sh2 + 0x20, verneedSize);
        W32(image, sh2 + 0x28, 1);
        W32(image, sh2 + 0x2C, 2);
        return elf;
    }

    private static void WriteVerneed(byte[] b, int at, ushort count, int file, uint aux, uint next)
    {
        W16(b, at, 1);
        W16(b, at + 2, count);
        W32(b, at + 4, (uint)file);
        W32(b, at + 8, aux);
        W32(b, at + 12, next);
    }

    private void WriteVernaux(byte[] b, int at, string name, Dictionary<string, int> names, ushort initialFlags, ushort other, uint next)
    {
        W32(b, at, 0x12345678);   // vna_hash (not checked by the patcher)
        W16(b, at + 4, initialFlags);
        W16(b, at + 6, other);
        W32(b, at + 8, (uint)names[name]);
        W32(b, at + 12, next);
        FlagsOffsets[name] = at + 4;
    }

    private static void W16(byte[] b, int o, ushort v) => BitConverter.TryWriteBytes(b.AsSpan(o), v);

    private static void W32(byte[] b, int o, uint v) => BitConverter.TryWriteBytes(b.AsSpan(o), v);

    private static void W64(byte[] b, int o, ulong v) => BitConverter.TryWriteBytes(b.AsSpan(o), v);
}
