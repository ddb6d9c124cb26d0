using System.Text;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Fuzz.Targets;

/// <summary>
/// Device profile YAML: DeviceCatalog.LoadProfilesFile, then what a build does with a profile — merge it into the
/// catalog, resolve it, its canonical text (the cache key), its reward weights and the cost of a real model on it.
/// Seeds: the embedded catalog, each of its profiles alone, and a list of two.
/// </summary>
public sealed class YamlTarget : IFuzzTarget
{
    public static readonly IReadOnlySet<string> Codes = new HashSet<string>
    {
        ErrorCodes.ProfileMalformed, ErrorCodes.ProfileInvalidValue,
    };

    private readonly ModelAnalysis reference;

    public YamlTarget(string repoRoot)
    {
        reference = ModelAnalyzer.Analyze(OnnxModel.Load(Path.Combine(repoRoot, "models", "mnist-8", "model.onnx")));
        var catalog = EmbeddedCatalogText();
        var profiles = SplitProfiles(catalog);
        var seeds = new List<FuzzSeed> { new("catalog", Encoding.UTF8.GetBytes(catalog), "catalog.yaml") };
        seeds.AddRange(profiles.Select(p => new FuzzSeed(p.Id, Encoding.UTF8.GetBytes(p.Text), p.Id + ".yaml")));
        if (profiles.Count >= 2)
        {
            var list = string.Concat(profiles.Take(2).Select(p => "- " + p.Text.Replace("\n", "\n  ").TrimEnd(' ') ));
            seeds.Add(new FuzzSeed("list-of-two", Encoding.UTF8.GetBytes(list), "two.yml"));
        }

        Seeds = seeds;
    }

    public string Name => "yaml";

    public IReadOnlyList<FuzzSeed> Seeds { get; }

    public IReadOnlyList<IMutator> Mutators { get; } =
        YamlTokenMutator.All.Concat(YamlTokenMutator.All).Concat(ByteMutator.All).ToList();

    public IReadOnlySet<string> DocumentedCodes => Codes;

    public void Run(FuzzSeed seed, byte[] input, string folder)
    {
        var path = Path.Combine(folder, seed.FileName);
        File.WriteAllBytes(path, input);
        var profiles = DeviceCatalog.LoadProfilesFile(path);
        var catalog = DeviceCatalog.Default.With(new[] { path });
        if (profiles.Count == 1)
        {
            InvariantViolation.Check(DeviceCatalog.Default.Resolve(path).Id == profiles[0].Id, "resolving the file gives another profile");
        }

        foreach (var profile in profiles)
        {
            var canonical = CanonicalProfile.ToCanonicalText(profile);
            InvariantViolation.Check(CanonicalProfile.ToCanonicalText(catalog.Resolve(profile.Id)) == canonical,
                $"the catalog resolves '{profile.Id}' to another profile than the file holds");
            var weights = RewardWeights.ForDevice(profile);
            InvariantViolation.Check(new[] { weights.Mu1, weights.Mu2, weights.Mu3, weights.Mu4 }.All(m => m is >= 0 and <= 1),
                $"profile '{profile.Id}' gives reward weights outside [0, 1]: {weights}");
            var cost = CostModel.Estimate(reference, profile);
            InvariantViolation.Check(double.IsFinite(cost.LatencyMs) && cost.LatencyMs > 0 && double.IsFinite(cost.EnergyMJ) && cost.EnergyMJ > 0,
                $"profile '{profile.Id}' gives mnist-8 a latency of {cost.LatencyMs} ms and an energy of {cost.EnergyMJ} mJ");
        }
    }

    public static string EmbeddedCatalogText()
    {
        using var stream = typeof(DeviceCatalog).Assembly.GetManifestResourceStream(DeviceCatalog.EmbeddedResourceName)
                           ?? throw new InvalidOperationException("the embedded device catalog is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Each "  - id: …" entry of the catalog as a profile file of its own (dedented, comments kept).</summary>
    private static List<(string Id, string Text)> SplitProfiles(string catalog)
    {
        var result = new List<(string, string)>();
        StringBuilder? current = null;
        string? id = null;
        foreach (var line in catalog.Split('\n'))
        {
            if (line.StartsWith("  - id: ", StringComparison.Ordinal))
            {
                Flush();
                id = line["  - id: ".Length..].Split('#')[0].Trim();
                current = new StringBuilder("id: ").Append(line["  - id: ".Length..]).Append('\n');
            }
            else if (current is not null && line.StartsWith("    ", StringComparison.Ordinal))
            {
                current.Append(line[4..]).Append('\n');
            }
            else if (current is not null && line.Trim().Length > 0 && !line.TrimStart().StartsWith('#'))
            {
                Flush();
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (current is not null && id is not null)
            {
                result.Add((id, current.ToString()));
            }

            current = null;
            id = null;
        }
    }
}
