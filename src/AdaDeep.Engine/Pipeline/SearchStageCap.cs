namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The search's share of the time budget (--time-budget, TimeBudgetSeconds). The budget bounds the whole search stage
/// — loading and measuring the original before the search, validating and measuring the result after it (issue 23:
/// a 640×640 detector ran 250 s under a 180 s budget, the measurements outside the search uncapped) — so the search
/// gets what the budget leaves after the time already spent and a reserve for the checks after it: about
/// <see cref="ReserveFactor"/> times the original's measurement, since the validation gate (original and candidate),
/// the final measurement (validation and test) and the speed gate run the same data through both models again. With
/// 2× a 640×640 run ended 4.5 % over its cap at load 8 and 31 % over at load 12. Never below <see cref="MinShare"/> of the
/// budget, so a slow start still leaves a search.
/// </summary>
public static class SearchStageCap
{
    public const double ReserveFactor = 3.0;

    public const double MinShare = 0.25;

    public static TimeSpan For(TimeSpan budget, TimeSpan spentBefore, TimeSpan originalMeasurement)
    {
        var left = budget - spentBefore - (originalMeasurement * ReserveFactor);
        var floor = budget * MinShare;
        return left > floor ? left : floor;
    }
}
