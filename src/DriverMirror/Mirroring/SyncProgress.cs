namespace DriverMirror.Mirroring;

/// <summary>A progress report while a driver syncs, for live displays.</summary>
/// <param name="Name">The driver.</param>
/// <param name="Platform">The platform being fetched (<c>linux-amd64</c>).</param>
/// <param name="Stage">What is happening: <c>fetching</c>, <c>downloading</c>, <c>publishing</c>, <c>done</c>.</param>
/// <param name="Bytes">Bytes received so far.</param>
/// <param name="TotalBytes">Announced size, if known.</param>
public sealed record SyncProgress(string Name, string Platform, string Stage, long Bytes, long? TotalBytes);
