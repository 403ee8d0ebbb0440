namespace DriverMirror.Bench;

/// <summary>What one run measures.</summary>
/// <param name="SizesMiB">Payload sizes of the archives published one by one, in MiB.</param>
/// <param name="Repetitions">Measured repetitions of every scenario; the median is reported.</param>
/// <param name="Drivers">Drivers synced together in the shared-download scenario.</param>
/// <param name="SharedSizeMiB">Payload size of the archive in the shared-download scenario, in MiB.</param>
/// <param name="Parallelism">Drivers <see cref="Mirroring.MirrorService.SyncManyAsync"/> syncs at once.</param>
internal sealed record BenchSettings(IReadOnlyList<int> SizesMiB, int Repetitions, int Drivers, int SharedSizeMiB, int Parallelism);
