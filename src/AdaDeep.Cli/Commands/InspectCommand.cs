using System.CommandLine;
using AdaDeep.Cli.Output;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Folding;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Cli.Commands;

/// <summary>The options of <c>adadeep inspect</c>, immutable once parsed.</summary>
public sealed record InspectOptions(string ModelPath, string? Device, IReadOnlyList<string> ProfileFiles, int Batch, bool Json, bool Measure)
{
    /// <summary>--input-shape values (NAME=1x3x48x192): the real sizes of free input dimensions.</summary>
    public IReadOnlyList<string> InputShapes { get; init; } = Array.Empty<string>();
}

/// <summary>
/// <c>adadeep inspect MODEL</c>: every layer with its output shape, parameters, MACs and its storage S, latency T and
/// energy E on a device (paper section 3), then the model's totals.
/// </summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The ONNX model file to inspect." };
        var device = new Option<string?>("--device", "-d")
        {
            Description = $"Device id from `adadeep devices`, or a device profile .yaml file [default: {DeviceSelection.DefaultDevice}].",
        };
        var profiles = new Option<string[]>("--profile")
        {
            Description = "A YAML file of device profiles to add to the catalog (repeatable).",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var batch = new Option<int>("--batch", "-b")
        {
            Description = "Batch size that symbolic input dimensions take.",
            DefaultValueFactory = _ => 1,
        };
        batch.Validators.Add(result =>
        {
            // A token that is not a number is already a parse error; only check the range here.
            if (result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, out var value) && value < 1)
            {
                result.AddError("--batch must be at least 1.");
            }
        });
        var json = new Option<bool>("--json") { Description = "Write the analysis as JSON instead of a table." };
        var inputShapes = new Option<string[]>("--input-shape")
        {
            Description = "The real shape of an input with free dimensions, batch included: NAME=1x3x48x192; repeatable (default: the model's test_data_set).",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var noMeasure = new Option<bool>("--no-measure")
        {
            Description = "Do not time the model with ONNX Runtime, even on a device that measures latency (host).",
        };

        var command = new Command("inspect", "Show each layer's shapes, parameters, MACs and its storage, latency and energy on a device.")
        {
            model, device, profiles, batch, json, noMeasure, inputShapes,
        };
        command.SetAction(parse => Run(
            new InspectOptions(
                parse.GetValue(model)!,
                parse.GetValue(device),
                parse.GetValue(profiles) ?? Array.Empty<string>(),
                parse.GetValue(batch),
                parse.GetValue(json),
                !parse.GetValue(noMeasure)) { InputShapes = parse.GetValue(inputShapes) ?? Array.Empty<string>() },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(InspectOptions options, TextWriter output, TextWriter error)
    {
        var device = DeviceSelection.Resolve(options.Device, options.ProfileFiles);
        var loaded = OnnxModel.Load(options.ModelPath);
        var testData = TestData(options.ModelPath, loaded);
        var shapes = InputShapes.Resolve(loaded, InputShapeSpec.ParseAll(options.InputShapes), testData);
        var model = shapes.Pin(loaded);
        var analysis = ModelAnalyzer.Analyze(model, options.Batch);
        var costs = CostModel.Estimate(analysis, device);
        var measured = options.Measure && device.MeasuresLatency ? Measure(model, testData, options, error) : null;

        if (options.Json)
        {
            JsonOutput.Write(output, ToJson(options, model, device, analysis, costs, measured, shapes));
        }
        else
        {
            WriteText(output, options, model, device, analysis, costs, measured, shapes);
            WriteFolding(output, model);
        }

        return 0;
    }

    /// <summary>ONNX Runtime's median latency on this machine; a model it cannot run is a warning, not a failure of inspect.</summary>
    private static double? Measure(OnnxModel model, Dataset? testData, InspectOptions options, TextWriter error)
    {
        try
        {
            var feeds = testData is null ? null : AdaDeep.Engine.Pipeline.InputData.LatencyFeeds(model, testData.ConformTo(model));
            return OrtLatencyMeter.MeasureMs(model.ToBytes(), feeds: feeds);
        }
        catch (AdaDeepException e)
        {
            error.WriteLine($"{options.ModelPath}: warning {e.Code}: latency not measured: {e.Message}");
            return null;
        }
    }

    /// <summary>The model's own test_data_set_N inputs (they size free dimensions and feed every input), or null.</summary>
    private static Dataset? TestData(string modelPath, OnnxModel model)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        if (!Directory.Exists(folder) || !Directory.EnumerateDirectories(folder, "test_data_set_*").Any())
        {
            return null;
        }

        try
        {
            return InputBinding.Bind(DatasetLoader.Load(folder), model);
        }
        catch (AdaDeepException)
        {
            return null; // unreadable test data: the shapes must then come from --input-shape
        }
    }

    private static void WriteText(TextWriter output, InspectOptions options, OnnxModel model, DeviceProfile device,
        ModelAnalysis analysis, CostEstimate costs, double? measured, InputShapes shapes)
    {
        output.WriteLine($"Model:  {options.ModelPath} ({Formatting.Count(analysis.FileBytes)} bytes, IR {model.Proto.IrVersion}, opset {model.OpsetVersion})");
        output.WriteLine($"Device: {device.Id} ({device.Name})");
        output.WriteLine($"Batch:  {options.Batch}");
        output.WriteLine($"Inputs: {shapes.Describe()}");
        output.WriteLine();

        var table = new TextTable(("#", true), ("Node", false), ("Op", false), ("Output shape", false), ("Params", true),
            ("MACs", true), ("S bits", true), ("T ms", true), ("E mJ", true));
        for (var i = 0; i < analysis.Layers.Count; i++)
        {
            var layer = analysis.Layers[i];
            var cost = costs.Layers[i];
            table.AddRow(
                layer.Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
                layer.NodeName,
                layer.OpType,
                Formatting.Shapes(layer.OutputShapes),
                Formatting.Count(layer.Parameters),
                Macs(layer),
                Formatting.Count(cost.WeightBits + cost.ActivationBits),
                Formatting.Milliseconds(cost.LatencyMs),
                Formatting.Millijoules(cost.EnergyMJ));
        }

        table.SetFooter("", "Total", $"{analysis.Layers.Count} layers", "", Formatting.Count(analysis.TotalParameters),
            Formatting.Count(analysis.TotalMacs), Formatting.Count(costs.StorageBits), Formatting.Milliseconds(costs.LatencyMs),
            Formatting.Millijoules(costs.EnergyMJ));
        TableRenderer.Write(table, output);

        output.WriteLine();
        output.WriteLine("Totals");
        output.WriteLine($"  Parameters:        {Formatting.Count(analysis.TotalParameters)} ({Formatting.Count(analysis.TotalParameterBytes)} bytes stored)");
        output.WriteLine($"  MACs:              {Formatting.Count(analysis.TotalMacs)}");
        output.WriteLine($"  Activations:       {Formatting.Count(analysis.TotalActivations)} elements");
        output.WriteLine($"  Storage S:         {Formatting.Count(costs.StorageBits)} bits (Sp weights {Formatting.Count(costs.WeightBits)}, Sf activations {Formatting.Count(costs.ActivationBits)})");
        output.WriteLine($"  Latency T:         {Formatting.Milliseconds(costs.LatencyMs)} ms ({(device.KernelCosts is null ? "roofline" : "kernel-table")} estimate on {device.Id})");
        output.WriteLine($"  Energy E:          {Formatting.Millijoules(costs.EnergyMJ)} mJ");
        output.WriteLine($"  File:              {Formatting.Count(analysis.FileBytes)} bytes");
        if (measured is { } ms)
        {
            output.WriteLine($"  Measured latency:  {Formatting.Milliseconds(ms)} ms (ONNX Runtime on this machine, batch 1, median)");
        }

        if (analysis.Notes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Control flow (MACs, T and E count each layer's runs per inference, shown as ×N)");
            foreach (var note in analysis.Notes)
            {
                output.WriteLine($"  {note}");
            }
        }
    }

    /// <summary>A layer's MACs per run, with "×N" where it does not run exactly once per inference (If branches, Loop bodies).</summary>
    private static string Macs(LayerInfo layer) =>
        layer.Runs == 1 ? Formatting.Count(layer.Macs) : $"{Formatting.Count(layer.Macs)} ×{Formatting.Count(layer.Runs)}";

    /// <summary>Says what compress would fold first: layers whose weights the graph computes from constants show no parameters above.</summary>
    private static void WriteFolding(TextWriter output, OnnxModel model)
    {
        var folded = ConstantFolder.Fold(model);
        if (folded.Changed)
        {
            var after = ModelAnalyzer.Analyze(folded.Model);
            output.WriteLine($"  Constant folding:  compress first folds {folded.FoldedValues} values computed from constants into initializers ({folded.RemovedNodes} nodes go; {Formatting.Count(after.TotalParameters)} parameters then)");
        }
    }

    private static object ToJson(InspectOptions options, OnnxModel model, DeviceProfile device, ModelAnalysis analysis,
        CostEstimate costs, double? measured, InputShapes shapes) => new
    {
        Model = options.ModelPath,
        model.Proto.IrVersion,
        Opset = model.OpsetVersion,
        Device = new { device.Id, device.Name },
        options.Batch,
        InputShapes = shapes.Inputs.Select(i => new { i.Name, i.Shape, i.Batch, i.Origin }),
        Totals = new
        {
            analysis.TotalParameters,
            analysis.TotalParameterBytes,
            analysis.TotalMacs,
            analysis.TotalActivations,
            costs.WeightBits,
            costs.ActivationBits,
            costs.StorageBits,
            costs.LatencyMs,
            costs.EnergyMJ,
            analysis.FileBytes,
            MeasuredLatencyMs = measured,
        },
        analysis.Notes,
        Layers = analysis.Layers.Select((layer, i) => new
        {
            layer.Position,
            Name = layer.NodeName,
            Op = layer.OpType,
            Kind = layer.Kind.ToString(),
            layer.InputShapes,
            layer.OutputShapes,
            layer.Parameters,
            layer.ParameterBytes,
            layer.Macs,
            layer.Runs,
            layer.CountedMacs,
            layer.Scope,
            layer.Activations,
            StorageBits = costs.Layers[i].WeightBits + costs.Layers[i].ActivationBits,
            costs.Layers[i].LatencyMs,
            costs.Layers[i].EnergyMJ,
        }),
    };
}
