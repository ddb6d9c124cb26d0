using AdaDeep.NativeFix;

namespace AdaDeep.Compression.Tests.NativeFix;

public class ElfVersionNeedPatcherTests
{
    private const string Version = ElfVersionNeedPatcher.TorchSharpGlibcxxVersion;

    [Fact]
    public void MarkWeak_SetsTheWeakFlagOnlyOnTheNamedRequirement()
    {
        var elf = SyntheticElf.Build();
        var image = (byte[])elf.Bytes.Clone();

        var outcome = ElfVersionNeedPatcher.MarkWeak(image, Version);

        Assert.Equal(ElfPatchOutcome.Patched, outcome);
        var flags = elf.FlagsOffsets[Version];
        Assert.Equal(ElfVersionNeedPatcher.VerFlagWeak, BitConverter.ToUInt16(image, flags));
        var changed = Enumerable.Range(0, image.Length).Where(i => image[i] != elf.Bytes[i]).ToArray();
        Assert.Equal(new[] { flags }, changed);
    }

    [Fact]
    public void MarkWeak_IsIdempotent()
    {
        var image = (byte[])SyntheticElf.Build().Bytes.Clone();
        ElfVersionNeedPatcher.MarkWeak(image, Version);
        var once = (byte[])image.Clone();

        var outcome = ElfVersionNeedPatcher.MarkWeak(image, Version);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, outcome);
        Assert.Equal(once, image);
    }

    [Fact]
    public void MarkWeak_KeepsOtherFlagBits()
    {
        const ushort verFlagInfo = 0x4;
        var elf = SyntheticElf.Build(initialFlags: verFlagInfo);
        var image = (byte[])elf.Bytes.Clone();

        ElfVersionNeedPatcher.MarkWeak(image, Version);

        Assert.Equal(verFlagInfo | ElfVersionNeedPatcher.VerFlagWeak, BitConverter.ToUInt16(image, elf.FlagsOffsets[Version]));
    }

    [Fact]
    public void MarkWeak_FindsRequirementsInLaterVerneedEntries()
    {
        var elf = SyntheticElf.Build();
        var image = (byte[])elf.Bytes.Clone();

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.MarkWeak(image, "GLIBC_2.2.5"));
        Assert.Equal(ElfVersionNeedPatcher.VerFlagWeak, BitConverter.ToUInt16(image, elf.FlagsOffsets["GLIBC_2.2.5"]));
    }

    [Fact]
    public void MarkWeak_LeavesLibrariesWithoutTheRequirementAlone()
    {
        var elf = SyntheticElf.Build();
        var image = (byte[])elf.Bytes.Clone();

        Assert.Equal(ElfPatchOutcome.VersionNotNeeded, ElfVersionNeedPatcher.MarkWeak(image, "GLIBCXX_3.4.99"));
        // A prefix of a present name must not match.
        Assert.Equal(ElfPatchOutcome.VersionNotNeeded, ElfVersionNeedPatcher.MarkWeak(image, "GLIBCXX_3.4.3"));
        Assert.Equal(elf.Bytes, image);
    }

    [Fact]
    public void MarkWeak_LeavesNonElf64LittleEndianFilesAlone()
    {
        var text = "not an ELF file at all, just some text that is long enough to have a header"u8.ToArray();
        Assert.Equal(ElfPatchOutcome.NotElf64LittleEndian, ElfVersionNeedPatcher.MarkWeak(text, Version));

        var elf32 = (byte[])SyntheticElf.Build().Bytes.Clone();
        elf32[4] = 1; // ELFCLASS32
        Assert.Equal(ElfPatchOutcome.NotElf64LittleEndian, ElfVersionNeedPatcher.MarkWeak(elf32, Version));

        var bigEndian = (byte[])SyntheticElf.Build().Bytes.Clone();
        bigEndian[5] = 2; // ELFDATA2MSB
        Assert.Equal(ElfPatchOutcome.NotElf64LittleEndian, ElfVersionNeedPatcher.MarkWeak(bigEndian, Version));
    }

    [Fact]
    public void MarkWeak_ReportsTruncatedFilesAsMalformed()
    {
        var elf = SyntheticElf.Build();
        var truncated = elf.Bytes.AsSpan(0, elf.SectionHeadersOffset + 100).ToArray();

        Assert.Equal(ElfPatchOutcome.Malformed, ElfVersionNeedPatcher.MarkWeak(truncated, Version));
    }

    [Fact]
    public void PatchFile_WritesANewFileAndNeverWritesThroughALink()
    {
        var dir = Directory.CreateTempSubdirectory("adadeep-elf-");
        try
        {
            var original = Path.Combine(dir.FullName, "cache.so");
            File.WriteAllBytes(original, SyntheticElf.Build().Bytes);
            var output = Path.Combine(dir.FullName, "output.so");
            File.CreateSymbolicLink(output, original);

            var outcome = ElfVersionNeedPatcher.PatchFile(output, Version);

            Assert.Equal(ElfPatchOutcome.Patched, outcome);
            Assert.Equal(SyntheticElf.Build().Bytes, File.ReadAllBytes(original));
            Assert.Null(new FileInfo(output).LinkTarget);
            Assert.True(ElfVersionNeedPatcher.IsWeak(output, Version));
            Assert.False(ElfVersionNeedPatcher.IsWeak(original, Version));
            Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeedPatcher.PatchFile(output, Version));
            Assert.Empty(Directory.GetFiles(dir.FullName, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void PatchFile_KeepsTheLastWriteTimeSoMSBuildDoesNotCopyTheOriginalAgain()
    {
        var dir = Directory.CreateTempSubdirectory("adadeep-elf-");
        try
        {
            var library = Path.Combine(dir.FullName, "libLibTorchSharp.so");
            File.WriteAllBytes(library, SyntheticElf.Build().Bytes);
            var stamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(library, stamp);

            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeedPatcher.PatchFile(library, Version));

            Assert.Equal(stamp, File.GetLastWriteTimeUtc(library));
            Assert.Equal(SyntheticElf.Build().Bytes.Length, new FileInfo(library).Length);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void RealTorchSharpLibraryInTheTestOutput_IsPatched()
    {
        var copies = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (!OperatingSystem.IsLinux())
        {
            return; // the library (and the fix) exist only in Linux outputs
        }

        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            Assert.True(ElfVersionNeedPatcher.IsWeak(copy, Version), $"{copy} still requires {Version} strongly");
        }

        // The NuGet cache copy stays as published.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
                       Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (File.Exists(cached))
        {
            Assert.False(ElfVersionNeedPatcher.IsWeak(cached, Version));
        }
    }
}
