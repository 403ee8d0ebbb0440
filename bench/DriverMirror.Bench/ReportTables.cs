using System.Globalization;
using Spectre.Console;

namespace DriverMirror.Bench;

/// <summary>
/// The results as Markdown tables (they paste into the README as they are). Each scenario's own figures are medians over
/// the repetitions, figure by figure. Each ratio is taken within every repetition, from two scenarios run side by side,
/// and printed as the median of those per-repetition ratios with their min–max range in parentheses.
/// </summary>
internal static class ReportTables
{
    public static Table Facts(IEnumerable<(string Fact, string Value)> facts)
    {
        var table = NewTable(2, "fact", "value");
        foreach (var (fact, value) in facts)
        {
            table.AddRow(Markup.Escape(fact), Markup.Escape(value));
        }

        return table;
    }

    public static Table Throughput(IReadOnlyList<PublishResult> results)
    {
        var table = NewTable(1, "archive MiB", "copy s", "copy MiB/s", "inspect s", "inspect MiB/s", "sync s", "sync MiB/s", "unchanged ms");
        foreach (var result in results)
        {
            var (copy, inspect, sync) = (result.Median(r => r.Copy), result.Median(r => r.Inspect), result.Median(r => r.Sync));
            table.AddRow(
                F1(result.Archive.MiB),
                F2(copy.Elapsed.TotalSeconds),
                F1(copy.MiBPerSecond),
                F2(inspect.Elapsed.TotalSeconds),
                F1(inspect.MiBPerSecond),
                F2(sync.Elapsed.TotalSeconds),
                F1(sync.MiBPerSecond),
                F0(result.Median(r => r.Unchanged).Elapsed.TotalMilliseconds));
        }

        return table;
    }

    public static Table Ratios(IReadOnlyList<PublishResult> results)
    {
        var table = NewTable(1, "archive MiB", "sync ÷ copy throughput", "inspect ÷ copy throughput", "inspect ÷ sync time", "unchanged ÷ sync time");
        foreach (var result in results)
        {
            table.AddRow(
                F1(result.Archive.MiB),
                Times(result.RatioOf(r => r.SyncOverCopyThroughput)),
                Times(result.RatioOf(r => r.InspectOverCopyThroughput)),
                Percent(result.RatioOf(r => r.InspectOverSyncTime)),
                Percent(result.RatioOf(r => r.UnchangedOverSyncTime)));
        }

        return table;
    }

    public static Table Memory(IReadOnlyList<PublishResult> results)
    {
        var table = NewTable(2, "archive MiB", "scenario", "peak heap growth MiB", "peak working set growth MiB", "allocated MiB", "allocated ÷ archive");
        foreach (var result in results)
        {
            var scenarios = new (string Name, Func<PublishRound, Measurement> Of)[]
            {
                ("copy", r => r.Copy), ("inspect", r => r.Inspect), ("sync", r => r.Sync), ("unchanged", r => r.Unchanged),
            };
            foreach (var (scenario, of) in scenarios)
            {
                var measurement = result.Median(of);
                table.AddRow(
                    F1(result.Archive.MiB),
                    scenario,
                    F1(measurement.PeakHeapGrowth / Units.MiB),
                    F1(measurement.PeakWorkingSetGrowth / Units.MiB),
                    F1(measurement.Allocated / Units.MiB),
                    F2(measurement.Allocated / (double)result.Archive.Length));
            }
        }

        return table;
    }

    public static Table SharedDownloads(SharedDownloadResult result)
    {
        var (shared, distinct) = (result.Shared, result.Distinct);
        var table = NewTable(1, "layout", "upstream downloads", "upstream MiB served", "wall s", "MiB published per s", "peak heap growth MiB");
        var published = result.Drivers * result.Archive.MiB;
        foreach (var (layout, run) in new[] { ($"{result.Drivers} drivers, one URL", shared), ($"{result.Drivers} drivers, {result.Drivers} URLs", distinct) })
        {
            table.AddRow(
                Markup.Escape(layout),
                run.Downloads.ToString(CultureInfo.InvariantCulture),
                F1(run.Measurement.Bytes / Units.MiB),
                F2(run.Measurement.Elapsed.TotalSeconds),
                F1(published / run.Measurement.Elapsed.TotalSeconds),
                F1(run.Measurement.PeakHeapGrowth / Units.MiB));
        }

        table.AddRow(
            "ratio (URLs ÷ one URL)",
            Times(result.RatioOf(r => r.DownloadsRatio)),
            Times(result.RatioOf(r => r.BytesRatio)),
            Times(result.RatioOf(r => r.WallTimeRatio)),
            Times(result.RatioOf(r => r.PublishRateRatio)),
            "");
        return table;
    }

    /// <summary>A table whose first <paramref name="labels"/> columns name the row (left-aligned) and the rest are figures.</summary>
    private static Table NewTable(int labels, params string[] headers)
    {
        var table = new Table().Border(TableBorder.Markdown);
        for (var i = 0; i < headers.Length; i++)
        {
            var column = new TableColumn(Markup.Escape(headers[i]));
            table.AddColumn(i < labels ? column.LeftAligned() : column.RightAligned());
        }

        return table;
    }

    /// <summary>A ratio as a factor: the median, then the range over the repetitions.</summary>
    private static string Times(Ratio ratio) => $"{F2(ratio.Median)} ({F2(ratio.Min)}–{F2(ratio.Max)})";

    /// <summary>A ratio as a percentage: the median, then the range over the repetitions.</summary>
    private static string Percent(Ratio ratio) => $"{F1(100 * ratio.Median)} % ({F1(100 * ratio.Min)}–{F1(100 * ratio.Max)} %)";

    private static string F0(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    private static string F1(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
