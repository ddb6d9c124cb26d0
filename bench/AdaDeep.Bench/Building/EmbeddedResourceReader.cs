using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AdaDeep.Bench.Building;

/// <summary>Reads a manifest resource out of a built assembly's file (metadata only: nothing is loaded or locked).</summary>
public static class EmbeddedResourceReader
{
    public static byte[]? Read(string assemblyPath, string logicalName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            // Implementation is nil for a resource embedded in this file (not linked or in another assembly).
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != logicalName)
            {
                continue;
            }

            var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? throw new InvalidDataException($"{assemblyPath}: no CLI resources directory");
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader((int)resource.Offset, block.Length - (int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        return null;
    }
}
