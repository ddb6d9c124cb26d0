namespace AdaDeep.Build.Tasks.Tests;

/// <summary>
/// A stand-in for `adadeep compress` (bash): appends its arguments to a log (one line per run), prints progress
/// lines and a warning, writes the model plus <see cref="Suffix"/> to --output atomically, and the result JSON and
/// a report. Modes make
/// it fail like the real tool would.
/// </summary>
internal static class FakeTool
{
    public enum Mode
    {
        Succeed,
        FailWithDiagnostic,
        Crash,
        Hang,
        MissBudgets,
        WrongHash,
        Slow,
    }

    /// <summary>What the fake appends to the model: an unknown field of ModelProto, which ONNX Runtime skips.</summary>
    public static readonly byte[] Suffix = { 0xA0, 0x06, 0x01 };

    /// <summary>Writes the script into <paramref name="folder"/>; returns its path. Runs are logged to <paramref name="log"/>.</summary>
    public static string Write(string folder, string log, Mode mode = Mode.Succeed)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "adadeep");
        var script = Template.Replace("@LOG@", log).Replace("@MODE@", mode.ToString());
        File.WriteAllText(path, script.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        return path;
    }

    /// <summary>The argument lines of every run so far.</summary>
    public static string[] Runs(string log) => File.Exists(log) ? File.ReadAllLines(log) : Array.Empty<string>();

    private const string Template = """
        #!/usr/bin/env bash
        set -euo pipefail
        echo "$*" >> '@LOG@'
        mode='@MODE@'
        [ "$1" = compress ] || { echo "adadeep: error ADA9001: fake tool only knows compress" >&2; exit 1; }
        model=$2; shift 2
        output=; result=; report=; device=; latency=null
        while [ $# -gt 0 ]; do
          case "$1" in
            --output) output=$2 ;;
            --result-json) result=$2 ;;
            --report) report=$2 ;;
            --device) device=$2 ;;
            --latency-budget-ms) latency=$2 ;;
            --no-cache) shift; continue ;;
          esac
          shift 2
        done
        echo "adadeep:progress 10 load: loading $model"
        case "$mode" in
          FailWithDiagnostic) echo "$model: error ADA2001: unknown device '$device'" >&2; exit 3 ;;
          Crash) echo "Unhandled exception. System.Exception: boom" >&2; exit 70 ;;
          Hang) echo "adadeep:progress 50 search: searching"; sleep 60; exit 0 ;;
          Slow) sleep 2 ;;
        esac
        echo "$model: warning ADA4099: fake tool warning" >&2
        # "Compress": the model plus an unknown ModelProto field (number 100, varint 1) - different bytes, still loadable.
        cp "$model" "$output.partial"; printf '\240\006\001' >> "$output.partial"; mv "$output.partial" "$output"
        sha=$(sha256sum "$output" | cut -d' ' -f1)
        [ "$mode" = WrongHash ] && sha=0000000000000000000000000000000000000000000000000000000000000000
        size=$(stat -c %s "$output")
        met=true; [ "$mode" = MissBudgets ] && met=false
        cat > "$result" <<JSON
        {"model": "$model", "outputSha256": "$sha", "sizeBytes": $size, "macs": 56, "latencyMs": 0.25,
         "latencyBudgetMs": $latency, "energyMJ": 0.002, "accuracy": 1.0, "accuracyIsAgreement": true,
         "budgetsMet": $met, "techniques": "none", "warnings": ["ADA4099: fake tool warning"]}
        JSON
        printf '# fake report for %s on %s\n' "$model" "$device" > "$report"
        echo "adadeep:progress 100 done: done in 0.1 s"
        """;
}
