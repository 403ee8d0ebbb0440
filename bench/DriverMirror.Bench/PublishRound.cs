namespace DriverMirror.Bench;

/// <summary>One repetition of the publish scenarios for one archive, all run side by side in the same repetition.</summary>
/// <param name="Copy">The naive copy: GET streamed into a blob.</param>
/// <param name="Inspect">GET, hashing and <see cref="Mirroring.ArchiveInspector"/> into no storage.</param>
/// <param name="Sync">A first sync of a new driver: the whole pipeline, publishing.</param>
/// <param name="Unchanged">A second sync of that driver: the upstream answers 304.</param>
/// <param name="CopyFirst">The order the repetition ran in: copy → inspect → sync → unchanged, or the reverse with unchanged still after sync.</param>
internal sealed record PublishRound(Measurement Copy, Measurement Inspect, Measurement Sync, Measurement Unchanged, bool CopyFirst)
{
    /// <summary>A sync's throughput over the copy's in this repetition (the same bytes, so the copy's time over the sync's).</summary>
    public double SyncOverCopyThroughput => Sync.MiBPerSecond / Copy.MiBPerSecond;

    /// <summary>Fetching, hashing and inspecting without storage, against the copy's throughput.</summary>
    public double InspectOverCopyThroughput => Inspect.MiBPerSecond / Copy.MiBPerSecond;

    /// <summary>The share of a sync's time that fetching, hashing and inspecting alone take.</summary>
    public double InspectOverSyncTime => Inspect.Elapsed / Sync.Elapsed;

    /// <summary>The share of a publishing sync's time an unchanged sync takes.</summary>
    public double UnchangedOverSyncTime => Unchanged.Elapsed / Sync.Elapsed;
}
