namespace DriverMirror.Bench;

/// <summary>
/// Settings of <see cref="Mirroring.ArtifactPublisher"/> that the copy and inspect scenarios copy, so that they differ from
/// a sync in what they do with the bytes, not in how they read or upload them. The publisher does not expose them (they
/// are <c>internal</c> or <c>private</c> constants in <c>src/DriverMirror/Mirroring/ArtifactPublisher.cs</c>), so they are
/// repeated here by hand: change them here when they change there.
/// </summary>
internal static class PublisherFigures
{
    /// <summary>Bytes per staged block: <c>ArtifactPublisher.BlockSize</c> (internal), 4 MiB.</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>Blocks uploading at once: <c>ArtifactPublisher.MaxBlocksInFlight</c> (internal), 4.</summary>
    public const int MaxBlocksInFlight = 4;

    /// <summary>Bytes the inspector may lag behind the download before the download waits: <c>ArtifactPublisher.InspectorPauseThreshold</c> (private), 1 MiB.</summary>
    public const long InspectorPauseThreshold = 1024 * 1024;

    /// <summary>The inspector pipe's segment size: <c>ArtifactPublisher.InspectorPipeSegmentSize</c> (private), 64 KiB.</summary>
    public const int InspectorPipeSegmentSize = 64 * 1024;
}
