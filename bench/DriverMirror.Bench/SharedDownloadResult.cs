namespace DriverMirror.Bench;

/// <summary>The shared-download scenario's medians.</summary>
/// <param name="Archive">The archive every driver points at.</param>
/// <param name="Drivers">Drivers synced together.</param>
/// <param name="Shared">All drivers at one URL.</param>
/// <param name="Distinct">Every driver at a URL of its own (same bytes).</param>
internal sealed record SharedDownloadResult(ArchiveFile Archive, int Drivers, LayoutRun Shared, LayoutRun Distinct);
