namespace DriverMirror.Bench;

/// <summary>One <see cref="Mirroring.MirrorService.SyncManyAsync"/> of several drivers: its measurement and the upstream downloads it made.</summary>
/// <param name="Measurement">Wall time and memory; <see cref="Measurement.Bytes"/> is what the upstream served.</param>
/// <param name="Downloads">Responses with a body the upstream sent.</param>
internal sealed record LayoutRun(Measurement Measurement, long Downloads)
{
    public static LayoutRun Median(IReadOnlyCollection<LayoutRun> runs) =>
        new(Measurement.Median(runs.Select(r => r.Measurement)), Measurement.MedianOf(runs, r => r.Downloads));
}
