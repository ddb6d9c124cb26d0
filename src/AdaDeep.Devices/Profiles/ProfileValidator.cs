using System.Text.RegularExpressions;
using AdaDeep.Devices.Profiles.Yaml;
using AdaDeep.Onnx.Diagnostics;
using YamlDotNet.Core;

namespace AdaDeep.Devices.Profiles;

/// <summary>
/// The rules every device profile obeys, whether it comes from YAML or from code. A broken rule is
/// <see cref="ErrorCodes.ProfileInvalidValue"/> naming the field (and, for YAML, its line).
/// </summary>
public static partial class ProfileValidator
{
    public const int MaxIdLength = 64;

    /// <summary>Fields a YAML profile must state; <c>batteryMAh</c> too, as <c>null</c> for mains power, so that a forgotten battery is not read as a mains-powered device.</summary>
    public static readonly IReadOnlyList<string> RequiredFields = new[]
    {
        "id", "name", "dramMB", "l2CacheMB", "batteryMAh", "peakGmacs", "memoryBandwidthGBps",
    };

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex IdPattern();

    /// <summary>Checks a profile built in code; returns it unchanged when valid.</summary>
    public static DeviceProfile Validate(DeviceProfile profile, string? file = null)
    {
        Check(profile, file, field => $"profile '{profile.Id}': ");
        return profile;
    }

    internal static DeviceProfile FromDto(ProfileDto dto, string file)
    {
        foreach (var field in RequiredFields)
        {
            if (!dto.PresentFields.Contains(field))
            {
                throw new AdaDeepException(ErrorCodes.ProfileInvalidValue,
                    $"line {dto.Start.Line}, column {dto.Start.Column}: the profile{(dto.Id is null ? "" : $" '{dto.Id}'")} has no field '{field}' (required: {string.Join(", ", RequiredFields)}; write 'batteryMAh: null' for mains power).",
                    file);
            }
        }

        var profile = new DeviceProfile
        {
            Id = dto.Id!,
            Name = dto.Name!,
            Type = dto.Type ?? "phone",
            Processor = dto.Processor ?? "",
            DramMB = dto.DramMB!.Value,
            L2CacheMB = dto.L2CacheMB!.Value,
            BatteryMAh = dto.BatteryMAh,
            PeakMacsPerSecond = dto.PeakGmacs!.Value * 1e9,
            MemoryBandwidthBytesPerSecond = dto.MemoryBandwidthGBps!.Value * 1e9,
            PerLayerOverheadMs = dto.PerLayerOverheadMs ?? 0,
            OperatorEfficiency = dto.OperatorEfficiency ?? new Dictionary<string, double>(),
            EnergyPerMacPJ = dto.EnergyPerMacPJ ?? 52.8,
            MeasuresLatency = dto.MeasuresLatency ?? false,
            Source = dto.Source ?? "",
        };

        Check(profile, file, field =>
        {
            Mark at = dto.MarkOf(field);
            return $"line {at.Line}, column {at.Column}: ";
        });
        return profile;
    }

    private static void Check(DeviceProfile p, string? file, Func<string, string> where)
    {
        void Fail(string field, string rule, object? got) =>
            throw new AdaDeepException(ErrorCodes.ProfileInvalidValue, $"{where(field)}field '{field}' {rule} (found {got ?? "null"}).", file);

        if (string.IsNullOrEmpty(p.Id) || p.Id.Length > MaxIdLength || !IdPattern().IsMatch(p.Id))
        {
            Fail("id", $"must be 1 to {MaxIdLength} characters from a-z, 0-9 and '-'", $"'{p.Id}'");
        }

        if (string.IsNullOrWhiteSpace(p.Name))
        {
            Fail("name", "must not be empty", $"'{p.Name}'");
        }

        if (string.IsNullOrWhiteSpace(p.Type))
        {
            Fail("type", "must not be empty", $"'{p.Type}'");
        }

        RequirePositive("dramMB", p.DramMB);
        RequirePositive("l2CacheMB", p.L2CacheMB);
        if (p.BatteryMAh is { } battery)
        {
            RequirePositive("batteryMAh", battery, " or null for mains power");
        }

        RequirePositive("peakGmacs", p.PeakMacsPerSecond / 1e9);
        RequirePositive("memoryBandwidthGBps", p.MemoryBandwidthBytesPerSecond / 1e9);
        if (!double.IsFinite(p.PerLayerOverheadMs) || p.PerLayerOverheadMs < 0)
        {
            Fail("perLayerOverheadMs", "must be a finite number ≥ 0", p.PerLayerOverheadMs);
        }

        RequirePositive("energyPerMacPJ", p.EnergyPerMacPJ);
        foreach (var (op, efficiency) in p.OperatorEfficiency)
        {
            if (!double.IsFinite(efficiency) || efficiency <= 0 || efficiency > 1)
            {
                Fail($"operatorEfficiency.{op}", "must be a fraction of peak in (0, 1]", efficiency);
            }
        }

        void RequirePositive(string field, double value, string extra = "")
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                Fail(field, $"must be a finite number > 0{extra}", value);
            }
        }
    }
}
