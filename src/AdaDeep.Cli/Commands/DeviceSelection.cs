using AdaDeep.Devices.Profiles;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// The --device / --profile pair shared by commands that cost a model on a device: --profile adds YAML profiles to
/// the embedded catalog; --device picks an id (or a .yaml file); without --device a single profile file's one
/// device is used, else <c>host</c>.
/// </summary>
public static class DeviceSelection
{
    public const string DefaultDevice = "host";

    public static DeviceCatalog Catalog(IReadOnlyList<string> profileFiles) =>
        profileFiles.Count > 0 ? DeviceCatalog.WithProfiles(profileFiles) : DeviceCatalog.Default;

    public static DeviceProfile Resolve(string? device, IReadOnlyList<string> profileFiles)
    {
        var catalog = Catalog(profileFiles);
        if (!string.IsNullOrWhiteSpace(device))
        {
            return catalog.Resolve(device);
        }

        if (profileFiles.Count == 1 && DeviceCatalog.LoadProfilesFile(profileFiles[0]) is [var only])
        {
            return only;
        }

        return catalog.Resolve(DefaultDevice);
    }
}
