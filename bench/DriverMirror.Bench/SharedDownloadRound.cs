namespace DriverMirror.Bench;

/// <summary>One repetition of the shared-download scenario: both layouts, side by side.</summary>
/// <param name="Shared">All drivers at one URL.</param>
/// <param name="Distinct">Every driver at a URL of its own (same bytes).</param>
/// <param name="SharedFirst">Whether the one-URL layout ran first in this repetition.</param>
internal sealed record SharedDownloadRound(LayoutRun Shared, LayoutRun Distinct, bool SharedFirst)
{
    public double DownloadsRatio => Distinct.Downloads / (double)Math.Max(1, Shared.Downloads);

    public double BytesRatio => Distinct.Measurement.Bytes / (double)Math.Max(1, Shared.Measurement.Bytes);

    /// <summary>Wall time of N URLs over one URL.</summary>
    public double WallTimeRatio => Distinct.Measurement.Elapsed / Shared.Measurement.Elapsed;

    /// <summary>Publishing rate of N URLs over one URL (the same drivers and bytes are published, so one URL's time over N URLs').</summary>
    public double PublishRateRatio => Shared.Measurement.Elapsed / Distinct.Measurement.Elapsed;
}
