using System.Globalization;

namespace DriverMirror.Bench;

/// <summary>
/// CPU time from Linux's <c>/proc</c>: the whole machine's busy time (<c>/proc/stat</c>) and that of this process with its
/// descendants (Azurite), so that what other processes used during the run can be told apart from the bench's own load.
/// All figures are in clock ticks; only their ratios are printed, so the tick rate does not matter.
/// </summary>
/// <param name="MachineBusy">Ticks all CPUs spent in user, nice, system, irq and softirq time since boot.</param>
/// <param name="MachineTotal">Ticks of all CPUs since boot, idle, iowait and steal included.</param>
/// <param name="Own">Ticks of this process and its descendants (their user and system time, and that of their reaped children).</param>
internal sealed record CpuUse(long MachineBusy, long MachineTotal, long Own)
{
    /// <summary>The counters now, or null where <c>/proc</c> cannot be read (not Linux).</summary>
    public static CpuUse? Take()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();

            // user nice system idle iowait irq softirq steal (guest time is already in user).
            var busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6];
            var total = busy + cpu[3] + cpu[4] + cpu[7];
            return new CpuUse(busy, total, OwnTicks());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// From <paramref name="start"/> to <paramref name="end"/>: the CPUs used on average by the bench and its descendants,
    /// and by every other process.
    /// </summary>
    public static (double Own, double Others) Between(CpuUse start, CpuUse end)
    {
        var cpus = Environment.ProcessorCount;
        var total = Math.Max(1, end.MachineTotal - start.MachineTotal);
        var own = Math.Max(0, end.Own - start.Own);
        var others = Math.Max(0, end.MachineBusy - start.MachineBusy - own);
        return (cpus * (double)own / total, cpus * (double)others / total);
    }

    private static long OwnTicks()
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // The command name (field 2) is in parentheses and may hold spaces: the other fields follow the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);

                // Fields 14 to 17 of the line: utime, stime, cutime, cstime.
                ticks[pid] = fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read.
            }
        }

        var own = new List<int> { Environment.ProcessId };
        for (var i = 0; i < own.Count; i++)
        {
            own.AddRange(parents.Where(p => p.Value == own[i]).Select(p => p.Key));
        }

        return own.Sum(pid => ticks.GetValueOrDefault(pid));
    }
}
