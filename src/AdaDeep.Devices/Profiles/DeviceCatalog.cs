using AdaDeep.Devices.Profiles.Yaml;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Devices.Profiles;

/// <summary>
/// The devices a model can be compressed for: the embedded catalog (the paper's Table 3, a few current devices and
/// <c>host</c>), optionally extended or overridden by the user's YAML profiles. Immutable and thread-safe.
/// </summary>
public sealed class DeviceCatalog
{
    public const string EmbeddedResourceName = "AdaDeep.Devices.Profiles.catalog.yaml";

    /// <summary>How the embedded catalog is named in error messages.</summary>
    public const string EmbeddedFileName = "catalog.yaml (embedded in AdaDeep.Devices)";

    private static readonly Lazy<DeviceCatalog> EmbeddedCatalog = new(LoadEmbedded);

    private readonly Dictionary<string, DeviceProfile> byId;

    private DeviceCatalog(IReadOnlyList<DeviceProfile> profiles)
    {
        All = profiles;
        byId = profiles.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>The embedded catalog.</summary>
    public static DeviceCatalog Default => EmbeddedCatalog.Value;

    /// <summary>Every profile, in catalog order (user profiles that add a device come last).</summary>
    public IReadOnlyList<DeviceProfile> All { get; }

    public IEnumerable<string> Ids => All.Select(p => p.Id);

    /// <summary>The default catalog plus the profiles in these YAML files: a profile whose id exists replaces it (in place), others are added.</summary>
    public static DeviceCatalog WithProfiles(IEnumerable<string> yamlPaths) => Default.With(yamlPaths);

    /// <summary>This catalog plus the profiles in these YAML files (later files win).</summary>
    public DeviceCatalog With(IEnumerable<string> yamlPaths)
    {
        var profiles = All.ToList();
        foreach (var path in yamlPaths)
        {
            foreach (var profile in LoadProfilesFile(path))
            {
                var index = profiles.FindIndex(p => p.Id == profile.Id);
                if (index >= 0)
                {
                    profiles[index] = profile;
                }
                else
                {
                    profiles.Add(profile);
                }
            }
        }

        return new DeviceCatalog(profiles);
    }

    public bool TryGet(string id, out DeviceProfile profile) => byId.TryGetValue(id, out profile!);

    /// <summary>
    /// A device by id, or, for an argument ending in .yaml/.yml, the single profile in that file.
    /// Unknown ids throw <see cref="ErrorCodes.DeviceUnknown"/> with the nearest ids.
    /// </summary>
    public DeviceProfile Resolve(string idOrYamlPath)
    {
        ArgumentNullException.ThrowIfNull(idOrYamlPath);
        if (IsYamlPath(idOrYamlPath))
        {
            return LoadProfileFile(idOrYamlPath);
        }

        var id = idOrYamlPath.Trim();
        if (byId.TryGetValue(id, out var profile) || byId.TryGetValue(id.ToLowerInvariant(), out profile))
        {
            return profile;
        }

        var near = NearNames.Find(id, All.Select(p => p.Id).Concat(All.Select(p => p.Name)), max: 8)
            .Select(n => byId.ContainsKey(n) ? n : All.First(p => p.Name == n).Id)
            .Distinct()
            .Take(5)
            .ToList();
        var hint = near.Count > 0 ? $" Did you mean: {string.Join(", ", near)}?" : "";
        throw new AdaDeepException(ErrorCodes.DeviceUnknown,
            $"unknown device '{id}'.{hint} Run `adadeep devices` to list all devices, or pass a profile file (.yaml).");
    }

    public static bool IsYamlPath(string value) =>
        value.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The one profile in a YAML file (a profile, a list of one, or a catalog of one).</summary>
    public static DeviceProfile LoadProfileFile(string path)
    {
        var profiles = LoadProfilesFile(path);
        return profiles.Count == 1
            ? profiles[0]
            : throw new AdaDeepException(ErrorCodes.ProfileMalformed,
                $"the file holds {profiles.Count} profiles ({string.Join(", ", profiles.Select(p => p.Id))}); name one device per file, or add the file to the catalog (AdaDeepDeviceProfiles / --device-profile) and pick one by id.",
                path);
    }

    /// <summary>Every profile in a YAML file; ids must be unique within the file.</summary>
    public static IReadOnlyList<DeviceProfile> LoadProfilesFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AdaDeepException(ErrorCodes.ProfileNotFound, $"device profile file not found: {Path.GetFullPath(path)}", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdaDeepException(ErrorCodes.ProfileNotFound, $"cannot read the device profile file: {e.Message}", path, e);
        }

        return Parse(text, path);
    }

    /// <summary>Profiles from YAML text; <paramref name="file"/> names it in errors.</summary>
    public static IReadOnlyList<DeviceProfile> Parse(string yaml, string file)
    {
        var root = SafeYamlLoader.Load(yaml, file);
        var dtos = ProfileYamlMapper.Map(root, file);
        var profiles = new List<DeviceProfile>(dtos.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dto in dtos)
        {
            var profile = ProfileValidator.FromDto(dto, file);
            if (!seen.Add(profile.Id))
            {
                var at = dto.MarkOf("id");
                throw new AdaDeepException(ErrorCodes.ProfileInvalidValue,
                    $"line {at.Line}, column {at.Column}: field 'id': '{profile.Id}' appears more than once in the file.", file);
            }

            profiles.Add(profile);
        }

        return profiles;
    }

    private static DeviceCatalog LoadEmbedded()
    {
        using var stream = typeof(DeviceCatalog).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new AdaDeepException(ErrorCodes.Internal, $"the embedded device catalog '{EmbeddedResourceName}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return new DeviceCatalog(Parse(reader.ReadToEnd(), EmbeddedFileName));
    }
}
