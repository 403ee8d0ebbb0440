namespace DriverMirror.Bench;

/// <summary>One timed run of a scenario, and what the process took on top of where it started.</summary>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Bytes">Bytes the run is credited with moving (for throughput).</param>
/// <param name="PeakHeapGrowth">Highest managed heap size seen during the run minus the heap after a full collection before it.</param>
/// <param name="PeakWorkingSetGrowth">Highest process working set seen during the run minus the working set before it.</param>
/// <param name="Allocated">Managed bytes allocated during the run (garbage included).</param>
internal sealed record Measurement(TimeSpan Elapsed, long Bytes, long PeakHeapGrowth, long PeakWorkingSetGrowth, long Allocated)
{
    public double MiBPerSecond => Bytes / Units.MiB / Elapsed.TotalSeconds;

    /// <summary>
    /// The median of each figure on its own, so the figures of the result may come from different runs. Fit for printing
    /// one scenario's figures, never for dividing one scenario by another: ratios are taken within a repetition (<see cref="Ratio"/>).
    /// </summary>
    public static Measurement Median(IEnumerable<Measurement> runs)
    {
        var list = runs.ToList();
        return new Measurement(
            TimeSpan.FromTicks(MedianOf(list, r => r.Elapsed.Ticks)),
            MedianOf(list, r => r.Bytes),
            MedianOf(list, r => r.PeakHeapGrowth),
            MedianOf(list, r => r.PeakWorkingSetGrowth),
            MedianOf(list, r => r.Allocated));
    }

    /// <summary>The middle value, or the mean of the two middle values of an even count.</summary>
    public static long MedianOf<T>(IReadOnlyCollection<T> runs, Func<T, long> figure)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException("No runs to take the median of.", nameof(runs));
        }

        var sorted = runs.Select(figure).Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
