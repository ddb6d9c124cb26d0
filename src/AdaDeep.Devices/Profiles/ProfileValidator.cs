using System.Text.RegularExpressions;
using AdaDeep.Devices.Costs.Kernels;
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

    /// <summary>
    /// The range each figure may take, in the YAML's units: wide enough for a microcontroller and a datacenter
    /// accelerator, narrow enough that the cost model's latencies and energies stay finite (a bandwidth of 1e-320 GB/s
    /// passes "&gt; 0" but makes every latency infinite).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (double Min, double Max)> PlausibleRanges = new Dictionary<string, (double, double)>
    {
        ["dramMB"] = (1e-3, 1e9),
        ["l2CacheMB"] = (1e-6, 1e6),
        ["batteryMAh"] = (1e-3, 1e9),
        ["peakGmacs"] = (1e-6, 1e9),
        ["memoryBandwidthGBps"] = (1e-6, 1e9),
        ["perLayerOverheadMs"] = (0, 1e6),
        ["energyPerMacPJ"] = (1e-6, 1e9),
        ["energyPerCacheBytePJ"] = (1e-6, 1e9),
        ["energyPerDramBytePJ"] = (1e-6, 1e9),
    };

    public const double MinOperatorEfficiency = 1e-6;

    /// <summary>Largest kernel-table coefficient accepted: one second (10⁶ µs) per kernel, per million MACs or per MB.</summary>
    public const double MaxKernelCoefficient = 1e6;

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
            KernelCosts = dto.KernelCosts,
            EnergyPerMacPJ = dto.EnergyPerMacPJ ?? DeviceProfile.PaperEnergyPerMacPJ,
            EnergyPerCacheBytePJ = dto.EnergyPerCacheBytePJ,
            EnergyPerDramBytePJ = dto.EnergyPerDramBytePJ,
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

        RequirePlausible("dramMB", p.DramMB);
        RequirePlausible("l2CacheMB", p.L2CacheMB);
        if (p.BatteryMAh is { } battery)
        {
            RequirePlausible("batteryMAh", battery, " or null for mains power");
        }

        RequirePlausible("peakGmacs", p.PeakMacsPerSecond / 1e9);
        RequirePlausible("memoryBandwidthGBps", p.MemoryBandwidthBytesPerSecond / 1e9);
        if (!double.IsFinite(p.PerLayerOverheadMs) || p.PerLayerOverheadMs < 0 || p.PerLayerOverheadMs > PlausibleRanges["perLayerOverheadMs"].Max)
        {
            Fail("perLayerOverheadMs", $"must be a finite number from 0 to {Invariant(PlausibleRanges["perLayerOverheadMs"].Max)}", p.PerLayerOverheadMs);
        }

        RequirePlausible("energyPerMacPJ", p.EnergyPerMacPJ);
        if (p.EnergyPerCacheBytePJ is { } cacheByte)
        {
            RequirePlausible("energyPerCacheBytePJ", cacheByte, " or absent for the paper's 6·ε1 per word");
        }

        if (p.EnergyPerDramBytePJ is { } dramByte)
        {
            RequirePlausible("energyPerDramBytePJ", dramByte, " or absent for the paper's 200·ε1 per word");
        }
        foreach (var (op, efficiency) in p.OperatorEfficiency)
        {
            // Below a millionth of peak a latency can overflow to infinity; no measured operator is that slow.
            if (!double.IsFinite(efficiency) || efficiency < MinOperatorEfficiency || efficiency > 1)
            {
                Fail($"operatorEfficiency.{op}", $"must be a fraction of peak in [{Invariant(MinOperatorEfficiency)}, 1]", efficiency);
            }
        }

        if (p.KernelCosts is { } table)
        {
            CheckKernelCosts(table);
        }

        void CheckKernelCosts(OperatorCostTable table)
        {
            // Times cannot be negative; above a second per unit a coefficient is a unit mistake (µs vs ms vs s).
            RequireCoefficient("kernelCosts.perInferenceUs", table.PerInferenceUs);
            if (table.Kernels.Count == 0)
            {
                Fail("kernelCosts.kernels", "must list at least one kernel kind", "none");
            }

            foreach (var (kind, cost) in table.Kernels)
            {
                if (string.IsNullOrWhiteSpace(kind))
                {
                    Fail("kernelCosts.kernels", "must name each kernel kind", $"'{kind}'");
                }

                for (var i = 0; i < OperatorCost.FieldNames.Count; i++)
                {
                    RequireCoefficient($"kernelCosts.kernels.{kind}.{OperatorCost.FieldNames[i]}", cost.Coefficients[i]);
                }
            }
        }

        void RequireCoefficient(string field, double value)
        {
            if (!double.IsFinite(value) || value < 0 || value > MaxKernelCoefficient)
            {
                Fail(field, $"must be a finite number from 0 to {Invariant(MaxKernelCoefficient)} (microseconds)", value);
            }
        }

        void RequirePlausible(string field, double value, string extra = "")
        {
            var (min, max) = PlausibleRanges[field];
            if (!double.IsFinite(value) || value <= 0)
            {
                Fail(field, $"must be a finite number > 0{extra}", value);
            }

            if (value < min || value > max)
            {
                Fail(field, $"must lie between {Invariant(min)} and {Invariant(max)}{extra}; a figure outside is a unit mistake", value);
            }
        }
    }

    private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
