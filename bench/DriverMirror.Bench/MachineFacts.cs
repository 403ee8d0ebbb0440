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
