using System.Diagnostics;
using System.Security.Cryptography;
using DriverMirror.Mirroring;
using DriverMirror.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DriverMirror.Tests.Mirroring;

/// <summary>Memory is measured process-wide, so these run alone.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

[Collection(nameof(MemoryMeasurement))]
public sealed class ArtifactPublisherLargeArchiveTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long PayloadBytes = 200L * 1024 * 1024;
    private const string FileName = "docker-machine-driver-large_1.0.0_linux_amd64.tar.gz";
    private readonly TestEnvironment env = TestEnvironment.Create(services: s => s.AddSingleton<ArchiveInspector>().AddSingleton<ArtifactPublisher>());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await env.DisposeAsync();

    [Fact]
    public async Task A_200_MiB_archive_streams_through_with_bounded_memory()
    {
        var publisher = env.Get<ArtifactPublisher>();
        await publisher.EnsureContainerAsync();
        var expectedSha256 = await Sha256Async(ArchiveBuilder.StreamLargeTarGz(PayloadBytes, driverName: "docker-machine-driver-large"));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baselineHeap = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var baselineWorkingSet = process.WorkingSet64;
        long peakHeap = baselineHeap;
        long peakWorkingSet = baselineWorkingSet;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                await Task.Delay(5);
            }
        });

        var stopwatch = Stopwatch.StartNew();
        await using var body = ArchiveBuilder.StreamLargeTarGz(PayloadBytes, driverName: "docker-machine-driver-large");
        var published = await publisher.PublishAsync(new PublishRequest("large", FileName, null, new ArchiveRules()), body);
        stopwatch.Stop();
        await sampling.CancelAsync();
        await sampler;

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heapGrowth = peakHeap - baselineHeap;
        var mib = published.Size / 1024.0 / 1024.0;
        output.WriteLine($"published {mib:F1} MiB in {stopwatch.Elapsed.TotalSeconds:F2} s = {mib / stopwatch.Elapsed.TotalSeconds:F1} MiB/s");
        output.WriteLine($"peak managed heap growth {heapGrowth / 1024.0 / 1024.0:F1} MiB; allocated in total {allocated / 1024.0 / 1024.0:F1} MiB; peak working set growth {(peakWorkingSet - baselineWorkingSet) / 1024.0 / 1024.0:F1} MiB");

        Assert.Equal(expectedSha256, published.Sha256);
        Assert.Equal("docker-machine-driver-large", published.DriverBinary);
        Assert.True(published.Size > PayloadBytes);
        Assert.True(heapGrowth < 96L * 1024 * 1024, $"peak managed heap grew by {heapGrowth} bytes for a {published.Size}-byte archive");

        // Garbage too stays well below the archive's size (the generator above runs in this process and counts too): the
        // inspector pipe's default 4 KiB segments overflowed the array pool and allocated about as much as they carried.
        Assert.True(allocated < published.Size / 2, $"publishing allocated {allocated} bytes for a {published.Size}-byte archive");

        // What an anonymous client downloads is what the upstream served.
        using var anonymous = new HttpClient();
        await using var download = await anonymous.GetStreamAsync(published.PublicUrl);
        Assert.Equal(expectedSha256, await Sha256Async(download));
    }

    private static async Task<string> Sha256Async(Stream stream)
    {
        await using (stream)
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        }
    }
}
