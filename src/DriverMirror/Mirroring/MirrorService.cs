namespace DriverMirror.Mirroring;

/// <summary>One driver's sync, end to end (DESIGN §5), and a parallel sync of many.</summary>
public sealed class MirrorService
{
    /// <summary>Syncs one driver. Never throws for a failed sync: the outcome says what happened.</summary>
    public Task<SyncOutcome> SyncAsync(string name, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Syncs the named drivers (every active driver when <paramref name="names"/> is empty), <paramref name="parallelism"/> at
    /// a time, fetching each distinct upstream URL once. Rewrites the web-root index once at the end.
    /// </summary>
    public Task<IReadOnlyList<SyncOutcome>> SyncManyAsync(IReadOnlyCollection<string> names, int parallelism, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
