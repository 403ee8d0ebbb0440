using DriverMirror.Catalog;

namespace DriverMirror.Mirroring;

/// <summary>The result of syncing one driver.</summary>
/// <param name="Name">The driver.</param>
/// <param name="Result">How it ended.</param>
/// <param name="Message">Why, in words.</param>
/// <param name="Record">The record after the sync, when it exists.</param>
/// <param name="IsTransient">For <see cref="SyncResult.Failed"/> and <see cref="SyncResult.Busy"/>: whether a retry may succeed.</param>
/// <param name="RetryAfter">For a transient failure: how long upstream asked us to wait (<c>Retry-After</c>), if it said.</param>
public sealed record SyncOutcome(string Name, SyncResult Result, string Message, DriverRecord? Record, bool IsTransient = false, TimeSpan? RetryAfter = null)
{
    /// <summary>Whether the driver is now served as its spec asks (published, unchanged or nothing to do).</summary>
    public bool Succeeded => Result is SyncResult.Published or SyncResult.Unchanged or SyncResult.Skipped;
}
