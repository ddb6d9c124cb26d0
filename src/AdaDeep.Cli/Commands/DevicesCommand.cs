using System.CommandLine;
using AdaDeep.Cli.Output;
using AdaDeep.Devices.Profiles;

namespace AdaDeep.Cli.Commands;

/// <summary><c>adadeep devices</c>: the device catalog (embedded, plus the user's --profile files).</summary>
public static class DevicesCommand
{
    public static Command Create()
    {
        var profiles = new Option<string[]>("--profile")
        {
            Description = "A YAML file of device profiles to add to the catalog (repeatable).",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var json = new Option<bool>("--json") { Description = "Write the catalog as JSON." };
        var command = new Command("devices", "List the devices a model can be compressed for.") { profiles, json };
        command.SetAction(parse => Run(parse.GetValue(profiles) ?? Array.Empty<string>(), parse.GetValue(json), parse.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(IReadOnlyList<string> profileFiles, bool json, TextWriter output)
    {
        var catalog = DeviceSelection.Catalog(profileFiles);
        if (json)
        {
            JsonOutput.Write(output, catalog.All);
            return 0;
        }

        var table = new TextTable(("Id", false), ("Name", false), ("Type", false), ("Processor", false),
            ("GMAC/s", true), ("GB/s", true), ("L2 MB", true), ("Battery mAh", true));
        foreach (var d in catalog.All)
        {
            table.AddRow(d.Id, d.Name, d.Type, d.Processor,
                Formatting.Number(d.PeakMacsPerSecond / 1e9), Formatting.Number(d.MemoryBandwidthBytesPerSecond / 1e9),
                Formatting.Number(d.L2CacheMB), d.BatteryMAh is { } mah ? Formatting.Number(mah, "F0") : "-");
        }

        TableRenderer.Write(table, output);
        output.WriteLine();
        output.WriteLine($"{catalog.All.Count} devices. Use one with --device ID, or pass your own profile with --profile FILE.yaml.");
        return 0;
    }
}
