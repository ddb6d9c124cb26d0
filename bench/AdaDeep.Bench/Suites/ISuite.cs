using AdaDeep.Bench.Reporting;

namespace AdaDeep.Bench.Suites;

/// <summary>One benchmark suite: measures, then returns its tables (BenchApp writes them).</summary>
public interface ISuite
{
    string Name { get; }

    string Description { get; }

    SuiteReport Run(BenchContext context);
}
