using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using DriverMirror.Testing;

namespace DriverMirror.Bench;

/// <summary>What a reader needs to compare figures from two runs: the command, the machine, the runtime, the emulator.</summary>
internal static class MachineFacts
{
    /// <summary>Set by <c>bench/run.sh</c> to the command as typed; otherwise the process's own command line is printed.</summary>
    public const string CommandVariable = "DRIVER_MIRROR_BENCH_COMMAND";

    /// <summary>CPUs other processes may use on average during a run before the figures are called contaminated.</summary>
    private const double OtherCpusTolerated = 0.25;

    public static IEnumerable<(string Fact, string Value)> Describe()
    {
        yield return ("command", Environment.GetEnvironmentVariable(CommandVariable) is { Length: > 0 } typed ? typed : Environment.CommandLine);
        yield return ("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
        yield return ("cpu", $"{Environment.ProcessorCount} logical CPUs{CpuModel()}");
        yield return ("memory", $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / Units.MiB / 1024:F1} GiB available to the GC");
        yield return ("os", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        yield return (".net", $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")}, {Configuration()}");
        yield return ("azurite", $"{AzuriteVersion()}, in-memory, same machine");
    }

    /// <summary>The machine's load at the start and end of the run, and who used the CPUs in between.</summary>
    public static IEnumerable<(string Fact, string Value)> Load(MachineLoad? start, MachineLoad? end, CpuUse? cpuStart, CpuUse? cpuEnd)
    {
        yield return ("load at start", start?.ToString() ?? "unknown (no /proc/loadavg)");
        yield return ("load at end", end?.ToString() ?? "unknown (no /proc/loadavg)");
        if (cpuStart is not null && cpuEnd is not null)
        {
            var (own, others) = CpuUse.Between(cpuStart, cpuEnd);
            yield return ("cpu use", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"bench and Azurite {own:F2} CPUs, other processes {others:F2} CPUs (averages over the run, of {Environment.ProcessorCount})"));
        }
    }

    /// <summary>A line for each sign that other work competed with the bench, so that its figures are contaminated.</summary>
    public static IEnumerable<string> LoadWarnings(MachineLoad? start, CpuUse? cpuStart, CpuUse? cpuEnd)
    {
        var cpus = Environment.ProcessorCount;
        if (start is { ExceedsCpus: true })
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Warning: the 1-minute load at start, {start.OneMinute:F2}, exceeds the {cpus} logical CPUs: other work was queued for the CPUs, so these figures are contaminated.");
        }

        // The load at the end is not judged: it counts the bench and Azurite themselves, which keep both CPUs busy. What other
        // processes used during the run is the cpu use row's second figure, judged below.
        if (cpuStart is not null && cpuEnd is not null && CpuUse.Between(cpuStart, cpuEnd).Others > OtherCpusTolerated)
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Warning: other processes used {CpuUse.Between(cpuStart, cpuEnd).Others:F2} CPUs on average during the run (more than {OtherCpusTolerated:F2}), so these figures are contaminated.");
        }
    }

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        var model = File.Exists(CpuInfo)
            ? File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model is null ? "" : $", {model}";
    }

    private static string Configuration() =>
#if DEBUG
        "Debug build (figures are not representative)";
#else
        "Release build";
#endif

    private static string AzuriteVersion()
    {
        try
        {
            var launcher = AzuriteServer.FindExecutable();
            var package = Path.Combine(Path.GetDirectoryName(launcher)!, "..", "azurite", "package.json");
            using var json = JsonDocument.Parse(File.ReadAllText(package));
            return "Azurite " + json.RootElement.GetProperty("version").GetString();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or JsonException or KeyNotFoundException)
        {
            return "Azurite (version unknown)";
        }
    }
}
