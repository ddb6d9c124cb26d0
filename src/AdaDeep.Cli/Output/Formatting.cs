using System.Globalization;

namespace AdaDeep.Cli.Output;

/// <summary>How numbers and shapes appear in tables: invariant culture, thousands separators, fixed decimals.</summary>
public static class Formatting
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(double value) => value.ToString("F3", CultureInfo.InvariantCulture);

    public static string Millijoules(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "G4") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>[1,8,28,28]; "?" when unknown; several outputs separated by spaces.</summary>
    public static string Shapes(IEnumerable<long[]?> shapes) =>
        string.Join(" ", shapes.Select(s => s is null ? "?" : $"[{string.Join(",", s)}]"));

    public static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F3", CultureInfo.InvariantCulture) + " MB";
}
