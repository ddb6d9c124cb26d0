using System.Runtime.CompilerServices;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// The one place the task touches AdaDeep.Cache.Azure. Not inlined and reached through a lambda, so the JIT resolves
/// Azure's types (and MSBuild loads Azure.Core and friends) only when a build really opens an azblob:// cache.
/// </summary>
internal static class AzureBackend
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IRemoteBlobStore Create(RemoteCacheOptions options) => AdaDeep.Cache.Azure.AzureBlobStore.Create(options);
}
