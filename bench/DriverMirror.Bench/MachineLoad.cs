using System.Globalization;

namespace DriverMirror.Bench;

/// <summary>
/// How busy the machine is, from Linux's <c>/proc/loadavg</c>: the load averages over 1, 5 and 15 minutes (runnable and
/// uninterruptible tasks, all processes). A 1-minute load above the CPU count means tasks queued for a CPU, so the figures
/// measured then are contaminated by other work.
/// </summary>
/// <param name="OneMinute">The 1-minute load average.</param>
/// <param name="FiveMinutes">The 5-minute load average.</param>
/// <param name="FifteenMinutes">The 15-minute load average.</param>
internal sealed record MachineLoad(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    private const string LoadAverage = "/proc/loadavg";

    /// <summary>The load now, or null where <c>/proc/loadavg</c> is missing (not Linux).</summary>
    public static MachineLoad? Read()
    {
        try
        {
            var fields = File.ReadAllText(LoadAverage).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new MachineLoad(Parse(fields[0]), Parse(fields[1]), Parse(fields[2]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether the 1-minute load exceeds the logical CPUs of this process.</summary>
    public bool ExceedsCpus => OneMinute > Environment.ProcessorCount;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{OneMinute:F2} {FiveMinutes:F2} {FifteenMinutes:F2} (1, 5, 15 min)");

    private static double Parse(string field) => double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture);
}
