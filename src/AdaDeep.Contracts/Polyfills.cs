// Language features netstandard2.0 lacks the attribute types for; the compiler accepts internal copies.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
