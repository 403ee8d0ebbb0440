namespace DriverMirror.Mirroring;

/// <summary>How one driver's sync ended.</summary>
public enum SyncResult
{
    /// <summary>New content was verified and published.</summary>
    Published,

    /// <summary>Upstream unchanged (304 or same bytes): the published artifacts stay current.</summary>
    Unchanged,

    /// <summary>Nothing to do: inactive, or built in with <c>local://</c>.</summary>
    Skipped,

    /// <summary>The sync failed; earlier artifacts stay published.</summary>
    Failed,

    /// <summary>The spec changed during the sync; its result was discarded (a newer sync will run).</summary>
    Superseded,

    /// <summary>Another sync of the same driver holds the lock.</summary>
    Busy,
}
