namespace AdaDeep.Engine.Cache;

/// <summary>A member <see cref="ContractJson.Read{T}"/> refuses a document without (e.g. a result's model and hash).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DocumentRequiredAttribute : Attribute
{
}
