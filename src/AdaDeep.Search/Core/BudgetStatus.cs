namespace AdaDeep.Search.Core;

/// <summary>
/// One budget checked against one configuration. Miss is how far the value is on the wrong side of the budget
/// (0 when met), in the budget's unit; MissFraction is Miss relative to the budget.
/// </summary>
public sealed record BudgetStatus(string Name, double Value, double Budget, bool IsUpperBound, bool Met, double Miss)
{
    public double MissFraction => Budget == 0 ? 0 : Miss / Budget;

    public static BudgetStatus AtMost(string name, double value, double budget) =>
        new(name, value, budget, true, value <= budget, Math.Max(0, value - budget));

    public static BudgetStatus AtLeast(string name, double value, double budget) =>
        new(name, value, budget, false, value >= budget, Math.Max(0, budget - value));
}
