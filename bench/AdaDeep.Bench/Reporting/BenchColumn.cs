namespace AdaDeep.Bench.Reporting;

/// <summary>One column of a result table: its JSON key, its Markdown header and how a value prints.</summary>
public sealed record BenchColumn(string Key, string Header, Func<object?, string> Format)
{
    public static BenchColumn Text(string key, string header) => new(key, header, v => v?.ToString() ?? "—");

    public static BenchColumn Number(string key, string header, string format) =>
        new(key, header, v => v switch
        {
            null => "—",
            double d when double.IsNaN(d) => "—",
            IFormattable f => f.ToString(format, System.Globalization.CultureInfo.InvariantCulture),
            _ => v.ToString() ?? "—",
        });

    public static BenchColumn Percent(string key, string header) => Number(key, header, "P2");

    public static BenchColumn Ratio(string key, string header) =>
        new(key, header, v => v is double d && !double.IsNaN(d) && !double.IsInfinity(d)
            ? d.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "×" : "—");
}
