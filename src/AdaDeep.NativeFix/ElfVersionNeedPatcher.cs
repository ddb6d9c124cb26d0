// Marks one symbol-version requirement (a Vernaux entry of .gnu.version_r) of an ELF64 shared library as weak.
//
// Why: TorchSharp-cpu 0.107.0's libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13) for a single symbol,
// std::ios_base_library_init, which it references without any relocation. Debian 12 ships GLIBCXX_3.4.30, so the
// dynamic loader refuses the library. With VER_FLG_WEAK set on that one requirement, a missing version is no
// longer fatal and TorchSharp loads. Harmless where libstdc++ is newer (the version is then found as usual).
//
// This one file is compiled twice: into AdaDeep.NativeFix.dll for unit tests, and from source by MSBuild's
// RoslynCodeTaskFactory (Directory.Build.targets), which accepts exactly one source file and compiles it against
// netstandard2.0 — hence the task class lives here too, and only netstandard2.0 APIs are used (no Span, no
// BinaryPrimitives, no records).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.NativeFix
{
    /// <summary>What <see cref="ElfVersionNeedPatcher"/> found and did.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The requirement was strong and is now weak.</summary>
        Patched,

        /// <summary>The requirement already carries VER_FLG_WEAK: nothing to do (the patch is idempotent).</summary>
        AlreadyWeak,

        /// <summary>The library does not require that version: nothing to do.</summary>
        VersionNotNeeded,

        /// <summary>The library has no .gnu.version_r section (or no section headers): nothing to do.</summary>
        NoVersionNeedSection,

        /// <summary>Not an ELF64 little-endian file: left alone.</summary>
        NotElf64LittleEndian,

        /// <summary>Offsets or sizes point outside the file: left alone.</summary>
        Malformed,
    }

    /// <summary>Sets VER_FLG_WEAK on the Vernaux entry named after a symbol version (ELF64, little-endian).</summary>
    public static class ElfVersionNeedPatcher
    {
        /// <summary>The version TorchSharp-cpu 0.107.0 needs and Debian 12 lacks.</summary>
        public const string TorchSharpGlibcxxVersion = "GLIBCXX_3.4.32";

        /// <summary>vna_flags bit: a missing version is a warning, not an error.</summary>
        public const ushort VerFlagWeak = 0x2;

        /// <summary>SHT_GNU_verneed, the section type of .gnu.version_r.</summary>
        public const uint ShtGnuVerneed = 0x6ffffffe;

        private const int Elf64HeaderSize = 64;
        private const int Elf64SectionHeaderSize = 64;
        private const int VerneedSize = 16;
        private const int VernauxSize = 16;

        /// <summary>
        /// Sets the weak flag in <paramref name="image"/> in place. Only the two bytes of one vna_flags field change.
        /// </summary>
        public static ElfPatchOutcome MarkWeak(byte[] image, string versionName)
        {
            if (image is null)
            {
                throw new ArgumentNullException(nameof(image));
            }

            var outcome = FindFlags(image, versionName, out var flagsOffset);
            if (outcome != ElfPatchOutcome.Patched)
            {
                return outcome;
            }

            var flags = ReadU16(image, flagsOffset);
            if ((flags & VerFlagWeak) != 0)
            {
                return ElfPatchOutcome.AlreadyWeak;
            }

            WriteU16(image, flagsOffset, (ushort)(flags | VerFlagWeak));
            return ElfPatchOutcome.Patched;
        }

        /// <summary>
        /// Patches the file at <paramref name="path"/> when needed. The new bytes go to a temporary file in the same
        /// folder that then replaces the original by rename: a hard link or symbolic link to the NuGet cache copy is
        /// never written through. The original's last-write time is kept, so MSBuild's copy (which skips files of
        /// equal size and time) leaves the patched file alone on later builds.
        /// </summary>
        public static ElfPatchOutcome PatchFile(string path, string versionName)
        {
            var image = File.ReadAllBytes(path);
            var outcome = MarkWeak(image, versionName);
            if (outcome != ElfPatchOutcome.Patched)
            {
                return outcome;
            }

            var lastWrite = File.GetLastWriteTimeUtc(path);
            var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                File.Copy(path, temporary, true); // keeps the file mode
                File.WriteAllBytes(temporary, image);
                File.SetLastWriteTimeUtc(temporary, lastWrite);
                try
                {
                    File.Replace(temporary, path, null);
                }
                catch (IOException)
                {
                    // File.Replace refuses some targets (a symbolic link on Unix): drop the link, then move.
                    File.Delete(path);
                    File.Move(temporary, path);
                }

                File.SetLastWriteTimeUtc(path, lastWrite);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }

            return ElfPatchOutcome.Patched;
        }

        /// <summary>True when the file's requirement for <paramref name="versionName"/> carries the weak flag.</summary>
        public static bool IsWeak(string path, string versionName)
        {
            var image = File.ReadAllBytes(path);
            return FindFlags(image, versionName, out var offset) == ElfPatchOutcome.Patched &&
                   (ReadU16(image, offset) & VerFlagWeak) != 0;
        }

        /// <summary>
        /// Finds the vna_flags field of the Vernaux entry named <paramref name="versionName"/>. Returns
        /// <see cref="ElfPatchOutcome.Patched"/> when found (the caller decides), otherwise why not.
        /// </summary>
        private static ElfPatchOutcome FindFlags(byte[] b, string versionName, out long flagsOffset)
        {
            flagsOffset = -1;
            if (b.Length < Elf64HeaderSize || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            {
                return ElfPatchOutcome.NotElf64LittleEndian;
            }

            const byte elfClass64 = 2, elfData2Lsb = 1;
            if (b[4] != elfClass64 || b[5] != elfData2Lsb)
            {
                return ElfPatchOutcome.NotElf64LittleEndian;
            }

            var sectionHeaders = ReadOffset(b, 0x28);   // e_shoff
            var entrySize = ReadU16(b, 0x3A);            // e_shentsize
            long sectionCount = ReadU16(b, 0x3C);        // e_shnum
            if (sectionHeaders == 0)
            {
                return ElfPatchOutcome.NoVersionNeedSection;
            }

            if (sectionHeaders < 0 || entrySize < Elf64SectionHeaderSize || !InRange(b, sectionHeaders, Elf64SectionHeaderSize))
            {
                return ElfPatchOutcome.Malformed;
            }

            if (sectionCount == 0)
            {
                // Extended numbering: the real count sits in sh_size of section 0.
                sectionCount = ReadOffset(b, sectionHeaders + 0x20);
            }

            if (sectionCount < 0 || !InRange(b, sectionHeaders, sectionCount * entrySize))
            {
                return ElfPatchOutcome.Malformed;
            }

            var wanted = System.Text.Encoding.ASCII.GetBytes(versionName);
            var sawSection = false;
            for (long i = 0; i < sectionCount; i++)
            {
                var header = sectionHeaders + i * entrySize;
                if (ReadU32(b, header + 4) != ShtGnuVerneed)
                {
                    continue;
                }

                sawSection = true;
                var outcome = SearchVerneed(b, header, sectionHeaders, sectionCount, entrySize, wanted, out flagsOffset);
                if (outcome != ElfPatchOutcome.VersionNotNeeded)
                {
                    return outcome;
                }
            }

            return sawSection ? ElfPatchOutcome.VersionNotNeeded : ElfPatchOutcome.NoVersionNeedSection;
        }

        private static ElfPatchOutcome SearchVerneed(byte[] b, long header, long sectionHeaders, long sectionCount, int entrySize,
            byte[] wanted, out long flagsOffset)
        {
            flagsOffset = -1;
            var offset = ReadOffset(b, header + 0x18);   // sh_offset
            var size = ReadOffset(b, header + 0x20);     // sh_size
            long link = ReadU32(b, header + 0x28);       // sh_link: the string table (.dynstr)
            long entries = ReadU32(b, header + 0x2C);    // sh_info: number of Verneed entries
            if (offset < 0 || size < 0 || !InRange(b, offset, size) || link >= sectionCount)
            {
                return ElfPatchOutcome.Malformed;
            }

            var stringHeader = sectionHeaders + link * entrySize;
            var strings = ReadOffset(b, stringHeader + 0x18);
            var stringsSize = ReadOffset(b, stringHeader + 0x20);
            if (strings < 0 || stringsSize < 0 || !InRange(b, strings, stringsSize))
            {
                return ElfPatchOutcome.Malformed;
            }

            // Entries form linked lists by relative offsets; bound the walk by what fits in the section.
            var maxEntries = size / Math.Min(VerneedSize, VernauxSize);
            if (entries > maxEntries)
            {
                return ElfPatchOutcome.Malformed;
            }

            var need = offset;
            for (long n = 0; n < entries; n++)
            {
                if (!InRange(b, need, VerneedSize) || need + VerneedSize > offset + size)
                {
                    return ElfPatchOutcome.Malformed;
                }

                long auxCount = ReadU16(b, need + 2);   // vn_cnt
                var aux = need + ReadU32(b, need + 8);  // vn_aux
                if (auxCount > maxEntries)
                {
                    return ElfPatchOutcome.Malformed;
                }

                for (long a = 0; a < auxCount; a++)
                {
                    if (!InRange(b, aux, VernauxSize) || aux + VernauxSize > offset + size)
                    {
                        return ElfPatchOutcome.Malformed;
                    }

                    long name = ReadU32(b, aux + 8);    // vna_name
                    if (name < stringsSize && NameEquals(b, strings + name, strings + stringsSize, wanted))
                    {
                        flagsOffset = aux + 4;           // vna_flags
                        return ElfPatchOutcome.Patched;
                    }

                    var nextAux = ReadU32(b, aux + 12); // vna_next
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                var nextNeed = ReadU32(b, need + 12);   // vn_next
                if (nextNeed == 0)
                {
                    break;
                }

                need += nextNeed;
            }

            return ElfPatchOutcome.VersionNotNeeded;
        }

        private static bool NameEquals(byte[] b, long start, long end, byte[] wanted)
        {
            if (start + wanted.Length >= end)
            {
                return false;
            }

            for (var i = 0; i < wanted.Length; i++)
            {
                if (b[start + i] != wanted[i])
                {
                    return false;
                }
            }

            return b[start + wanted.Length] == 0;
        }

        private static bool InRange(byte[] b, long offset, long length) =>
            offset >= 0 && length >= 0 && offset <= b.Length && length <= b.Length - offset;

        private static ushort ReadU16(byte[] b, long o) => (ushort)(b[o] | (b[o + 1] << 8));

        private static uint ReadU32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        /// <summary>A 64-bit file offset or size; values beyond long.MaxValue read as -1 (malformed).</summary>
        private static long ReadOffset(byte[] b, long o)
        {
            if (!InRange(b, o, 8))
            {
                return -1;
            }

            var value = ReadU32(b, o) | ((ulong)ReadU32(b, o + 4) << 32);
            return value > long.MaxValue ? -1 : (long)value;
        }

        private static void WriteU16(byte[] b, long o, ushort value)
        {
            b[o] = (byte)value;
            b[o + 1] = (byte)(value >> 8);
        }
    }

    /// <summary>
    /// MSBuild task: marks <see cref="VersionName"/> weak in each of <see cref="Files"/> (the copies of
    /// libLibTorchSharp.so in a build or publish output, never the NuGet cache).
    /// </summary>
    public sealed class MarkElfVersionNeedWeak : Microsoft.Build.Utilities.Task
    {
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The symbol version to make optional; defaults to the one TorchSharp needs.</summary>
        public string VersionName { get; set; } = ElfVersionNeedPatcher.TorchSharpGlibcxxVersion;

        /// <summary>The files this run changed.</summary>
        [Output]
        public ITaskItem[] PatchedFiles { get; private set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            var patched = new List<ITaskItem>();
            foreach (var file in Files)
            {
                var path = file.ItemSpec;
                try
                {
                    var outcome = ElfVersionNeedPatcher.PatchFile(path, VersionName);
                    switch (outcome)
                    {
                        case ElfPatchOutcome.Patched:
                            patched.Add(file);
                            Log.LogMessage(MessageImportance.Normal, "AdaDeep: marked the {0} requirement of '{1}' weak", VersionName, path);
                            break;
                        case ElfPatchOutcome.NotElf64LittleEndian:
                        case ElfPatchOutcome.Malformed:
                            Log.LogWarning(null, "ADA5006", null, path, 0, 0, 0, 0,
                                "AdaDeep: '{0}' is not a well-formed ELF64 little-endian library ({1}); left unpatched", path, outcome);
                            break;
                        default:
                            Log.LogMessage(MessageImportance.Low, "AdaDeep: '{0}': {1}", path, outcome);
                            break;
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Log.LogError(null, "ADA5002", null, path, 0, 0, 0, 0,
                        "AdaDeep: cannot patch '{0}' so that TorchSharp loads on this libstdc++: {1}", path, e.Message);
                }
            }

            PatchedFiles = patched.ToArray();
            return !Log.HasLoggedErrors;
        }
    }
}
