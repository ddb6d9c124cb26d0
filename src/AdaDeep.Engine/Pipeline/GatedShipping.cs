using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Environments;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Picks the model that ships: the search's choice when it passes the <see cref="ValidationGate"/>, else the same
/// configuration with its lossy techniques dropped (near-lossless ones kept), else the original with packed weights
/// only; ADA3601 when even that fails. Lossy techniques are kept only when fine-tuning ran or the gate judged them on
/// real data. Every step down is said in a warning (ADA3602).
/// </summary>
public static class GatedShipping
{
    /// <summary>Techniques whose error the gate bounds without data: batch-norm folding (exact up to rounding) and int8 weights.</summary>
    public static IReadOnlyList<string> NearLossless { get; } = new[] { "BN", "Q8W" };

    public static bool IsLossy(string action) =>
        action != SearchActions.None && !NearLossless.Contains(action, StringComparer.OrdinalIgnoreCase);

    public sealed record Shipped(OnnxModel Model, IReadOnlyList<string> Actions, ValidationReport Validation);

    /// <param name="chosenModel">The search's choice, fine-tuned when <paramref name="fineTuned"/>, before deferred techniques and packing.</param>
    /// <param name="finish">The last touch of a packed candidate before it is gated (the pipeline restores the original's input interface).</param>
    public static Shipped Choose(ValidationGate gate, CompressionEnvironment env, IReadOnlyList<string> chosenActions,
        OnnxModel chosenModel, bool fineTuned, string file, List<string> warnings, CancellationToken ct, Func<OnnxModel, OnnxModel>? finish = null)
    {
        var candidates = new List<(IReadOnlyList<string> Actions, Func<OnnxModel> Build)>
        {
            (chosenActions, () => chosenModel),
        };
        var safe = chosenActions.Select(a => IsLossy(a) ? SearchActions.None : a).ToArray();
        if (!safe.SequenceEqual(chosenActions))
        {
            candidates.Add((safe, () => env.BuildTrainableModel(safe)));
        }

        var none = chosenActions.Select(_ => SearchActions.None).ToArray();
        if (!none.SequenceEqual(safe))
        {
            candidates.Add((none, () => env.BuildTrainableModel(none)));
        }

        string? refused = null;
        foreach (var (actions, build) in candidates)
        {
            ct.ThrowIfCancellationRequested();
            var summary = CompressPipeline.TechniqueSummary(actions);
            if (actions.Any(IsLossy) && !fineTuned && !gate.RealData)
            {
                refused = $"{summary} was not shipped: its lossy techniques were not fine-tuned and there is no real data to judge them on";
                continue;
            }

            var packed = Pack(env.ApplyDeferred(build(), actions), finish);
            var report = gate.Check(packed);
            if (report.Passed)
            {
                if (refused is not null)
                {
                    warnings.Add($"{file}: warning {ErrorCodes.ValidationFallback}: {refused}; shipping the safer {summary} instead ({report.Headline})");
                }

                return new Shipped(packed, actions, report);
            }

            refused = $"{summary} failed the {report.Headline}";
        }

        throw new AdaDeepException(ErrorCodes.ValidationFailed,
            $"no candidate passes the validation gate, so nothing was written: {refused}", file);
    }

    /// <summary>A candidate in the form that ships: weights packed, shipping touches, then the caller's last touch.</summary>
    public static OnnxModel Pack(OnnxModel model, Func<OnnxModel, OnnxModel>? finish = null)
    {
        var packed = ShippingForm.Apply(WeightPacker.Pack(model));
        return finish?.Invoke(packed) ?? packed;
    }
}
