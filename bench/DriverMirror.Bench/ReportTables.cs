using System.Globalization;
using Spectre.Console;

namespace DriverMirror.Bench;

/// <summary>The results as Markdown tables (they paste into the README as they are).</summary>
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

    public static Table Throughput(IReadOnlyList<(ArchiveFile Archive, PublishRound Median)> results)
    {
        var table = NewTable(1, "archive MiB", "copy s", "copy MiB/s", "sync s", "sync MiB/s", "sync ÷ copy throughput", "unchanged ms", "unchanged ÷ sync time");
        foreach (var (archive, median) in results)
        {
            table.AddRow(
                F1(archive.MiB),
                F2(median.Copy.Elapsed.TotalSeconds),
                F1(median.Copy.MiBPerSecond),
                F2(median.Sync.Elapsed.TotalSeconds),
                F1(median.Sync.MiBPerSecond),
                F2(median.Sync.MiBPerSecond / median.Copy.MiBPerSecond),
                F0(median.Unchanged.Elapsed.TotalMilliseconds),
                Percent(median.Unchanged.Elapsed / median.Sync.Elapsed));
        }

        return table;
    }

    public static Table Memory(IReadOnlyList<(ArchiveFile Archive, PublishRound Median)> results)
    {
        var table = NewTable(2, "archive MiB", "scenario", "peak heap growth MiB", "peak working set growth MiB", "allocated MiB", "allocated ÷ archive");
        foreach (var (archive, median) in results)
        {
            foreach (var (scenario, measurement) in new[] { ("copy", median.Copy), ("sync", median.Sync), ("unchanged", median.Unchanged) })
            {
                table.AddRow(
                    F1(archive.MiB),
                    scenario,
                    F1(measurement.PeakHeapGrowth / Units.MiB),
                    F1(measurement.PeakWorkingSetGrowth / Units.MiB),
                    F1(measurement.Allocated / Units.MiB),
                    F2(measurement.Allocated / (double)archive.Length));
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
            F2(distinct.Downloads / (double)Math.Max(1, shared.Downloads)),
            F2(distinct.Measurement.Bytes / (double)Math.Max(1, shared.Measurement.Bytes)),
            F2(distinct.Measurement.Elapsed / shared.Measurement.Elapsed),
            F2(shared.Measurement.Elapsed / distinct.Measurement.Elapsed),
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

    private static string F0(double value) => value.ToString("F0", CultureInfo.InvariantCulture);

    private static string F1(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => fraction.ToString("P1", CultureInfo.InvariantCulture);
}
