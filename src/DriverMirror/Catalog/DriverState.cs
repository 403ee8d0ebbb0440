namespace DriverMirror.Catalog;

/// <summary>What the mirror last observed for a driver.</summary>
public enum DriverState
{
    /// <summary>Not synced since its spec last changed.</summary>
    Pending,

    /// <summary>A sync is running.</summary>
    Syncing,

    /// <summary>Every platform's artifact is published and verified.</summary>
    Ready,

    /// <summary>The last sync failed; any earlier artifact stays published.</summary>
    Failed,

    /// <summary>Nothing to mirror: the driver is inactive or built in with <c>local://</c>.</summary>
    Disabled,
}
