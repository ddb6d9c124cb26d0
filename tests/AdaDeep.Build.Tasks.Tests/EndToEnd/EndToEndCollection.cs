namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>The end-to-end classes share one collection: their `dotnet build`s run one at a time (two cores on CI).</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd builds";
}
