using DriverMirror.Mirroring;
using DriverMirror.Testing;
using Xunit.Abstractions;

namespace DriverMirror.Tests.Mirroring;

/// <summary>Allocations are counted process-wide, so this runs alone with the other memory measurements.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class ArchiveInspectorAllocationTests(ITestOutputHelper output) : IDisposable
{
    private const long PayloadBytes = 64L * 1024 * 1024;
    private readonly string archivePath = Path.Combine(Path.GetTempPath(), $"inspector-allocation-{Guid.NewGuid():N}.tar.gz");

    public void Dispose() => File.Delete(archivePath);

    [Fact]
    public async Task Inspecting_a_large_tar_gz_allocates_less_than_its_size()
    {
        await using (var generated = ArchiveBuilder.StreamLargeTarGz(PayloadBytes))
        await using (var file = File.Create(archivePath))
        {
            await generated.CopyToAsync(file);
        }

        var inspector = new ArchiveInspector();
        var archiveBytes = new FileInfo(archivePath).Length;

        // One unmeasured pass warms up the JIT and the pools.
        await InspectAsync(inspector);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var report = await InspectAsync(inspector);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"inspected {archiveBytes / 1048576.0:F1} MiB, allocated {allocated / 1048576.0:F1} MiB ({(double)allocated / archiveBytes:F2} per archive byte)");

        Assert.Equal(ArchiveBuilder.DriverName, report.DriverBinary);
        Assert.True(report.ExpandedBytes >= PayloadBytes);

        // Reading entries through SharpCompress's Memory<byte> overload allocated about 2.2 bytes per archive byte.
        Assert.True(allocated < archiveBytes, $"the inspection allocated {allocated} bytes for a {archiveBytes}-byte archive");
    }

    private async Task<ArchiveReport> InspectAsync(ArchiveInspector inspector)
    {
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        return await inspector.InspectAsync(new NonSeekableStream(file, leaveOpen: true), "docker-machine-driver-test.tar.gz", new ArchiveRules());
    }
}
