namespace DriverMirror.Bench;

/// <summary>Every repetition of the shared-download scenario.</summary>
/// <param name="Archive">The archive every driver points at.</param>
/// <param name="Drivers">Drivers synced together.</param>
/// <param name="Rounds">The repetitions, in the order they ran.</param>
internal sealed record SharedDownloadResult(ArchiveFile Archive, int Drivers, IReadOnlyList<SharedDownloadRound> Rounds)
{
    /// <summary>The one-URL layout's figures, each the median on its own (for printing, not for ratios).</summary>
    public LayoutRun Shared => LayoutRun.Median([.. Rounds.Select(r => r.Shared)]);

    /// <summary>The N-URL layout's figures, each the median on its own (for printing, not for ratios).</summary>
    public LayoutRun Distinct => LayoutRun.Median([.. Rounds.Select(r => r.Distinct)]);

    /// <summary>A ratio taken within each repetition, summarised over them.</summary>
    public Ratio RatioOf(Func<SharedDownloadRound, double> ratio) => Ratio.Of(Rounds, ratio);
}
