using DriverMirror.Mirroring;

namespace DriverMirror.Bench;

/// <summary>
/// Scenario 1: one archive moved from the loopback upstream four ways, side by side in every repetition — the naive copy
/// into Azurite (the cost floor of storage), the fetch with hashing and archive inspection into no storage, a publishing
/// sync through <see cref="MirrorService.SyncAsync"/> (egress guard, fetch, SHA-256 and MD5, archive inspection, staging,
/// commit, status, index), and a periodic sync that finds the upstream unchanged.
/// </summary>
internal static class PublishBenchmark
{
    /// <summary>
    /// Runs an unmeasured warm-up at the smallest size, then every size <see cref="BenchSettings.Repetitions"/> times. Odd
    /// repetitions run copy → inspect → sync → unchanged, even ones sync → unchanged → inspect → copy, so neither copy nor
    /// sync always runs first.
    /// </summary>
    public static async Task<IReadOnlyList<PublishResult>> RunAsync(
        BenchRig rig, ArchiveFiles archives, BenchSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        var warmUp = await archives.GetAsync(settings.SizesMiB.Min(), cancellationToken);
        await RunRoundAsync(rig, warmUp, "warm", copyFirst: true, cancellationToken);
        log($"publish: warmed up with {warmUp.MiB:F0} MiB");

        var results = new List<PublishResult>();
        foreach (var size in settings.SizesMiB)
        {
            var archive = await archives.GetAsync(size, cancellationToken);
            var rounds = new List<PublishRound>();
            for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
            {
                var round = await RunRoundAsync(rig, archive, $"r{repetition}", copyFirst: repetition % 2 == 1, cancellationToken);
                rounds.Add(round);
                log($"publish {archive.MiB,6:F1} MiB, repetition {repetition}/{settings.Repetitions} ({(round.CopyFirst ? "copy first" : "sync first")}): " +
                    $"copy {round.Copy.Elapsed.TotalSeconds:F2} s, inspect {round.Inspect.Elapsed.TotalSeconds:F2} s, sync {round.Sync.Elapsed.TotalSeconds:F2} s, " +
                    $"unchanged {round.Unchanged.Elapsed.TotalMilliseconds:F0} ms; sync ÷ copy throughput {round.SyncOverCopyThroughput:F2}");
            }

            results.Add(new PublishResult(archive, rounds));
        }

        return results;
    }

    private static async Task<PublishRound> RunRoundAsync(BenchRig rig, ArchiveFile archive, string tag, bool copyFirst, CancellationToken cancellationToken)
    {
        var path = $"/{archive.PayloadMiB}/{ArchiveFiles.FileName}";
        var url = rig.Serve(path, archive);
        Measurement copy, inspect, sync, unchanged;
        if (copyFirst)
        {
            copy = await CopyAsync(rig, archive, path, url, tag, cancellationToken);
            inspect = await InspectAsync(rig, archive, path, url, cancellationToken);
            (sync, unchanged) = await SyncTwiceAsync(rig, archive, path, tag, cancellationToken);
        }
        else
        {
            (sync, unchanged) = await SyncTwiceAsync(rig, archive, path, tag, cancellationToken);
            inspect = await InspectAsync(rig, archive, path, url, cancellationToken);
            copy = await CopyAsync(rig, archive, path, url, tag, cancellationToken);
        }

        return new PublishRound(copy, inspect, sync, unchanged, copyFirst);
    }

    /// <summary>The naive copy; its blob is deleted afterwards (not timed).</summary>
    private static async Task<Measurement> CopyAsync(BenchRig rig, ArchiveFile archive, string path, Uri url, string tag, CancellationToken cancellationToken)
    {
        var copyTarget = rig.Copies.GetBlobClient($"{archive.PayloadMiB}-{tag}/{ArchiveFiles.FileName}");
        var copy = await MemoryProbe.MeasureAsync(() => rig.BytesServedDuringAsync([path], () => NaiveCopy.CopyAsync(rig.Http, url, copyTarget, cancellationToken)));
        await copyTarget.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        Expect.That(copy.Bytes == archive.Length, $"the copy fetched {copy.Bytes} bytes of {archive.Length}");
        return copy;
    }

    /// <summary>Fetch, hashing and inspection into no storage; checks the inspector found the driver and the hash is the archive's.</summary>
    private static async Task<Measurement> InspectAsync(BenchRig rig, ArchiveFile archive, string path, Uri url, CancellationToken cancellationToken)
    {
        InspectedArchive? inspected = null;
        var inspect = await MemoryProbe.MeasureAsync(() => rig.BytesServedDuringAsync([path], async () =>
            inspected = await InspectOnly.InspectAsync(rig.Http, url, rig.Inspector, ArchiveFiles.FileName, cancellationToken)));
        Expect.That(inspect.Bytes == archive.Length, $"the inspect scenario fetched {inspect.Bytes} bytes of {archive.Length}");
        Expect.That(inspected is { Report.Format: ArchiveFormat.TarGz, Report.DriverBinary: "docker-machine-driver-bench" },
            $"the inspector reported {inspected?.Report}");
        Expect.That(inspected!.Bytes == archive.Length && inspected.Sha256 == archive.Sha256, $"the inspect scenario hashed {inspected.Bytes} bytes to {inspected.Sha256}, not the archive");
        return inspect;
    }

    /// <summary>A publishing sync of a new driver, then an unchanged one; the driver and its blobs are deleted afterwards (not timed).</summary>
    private static async Task<(Measurement Sync, Measurement Unchanged)> SyncTwiceAsync(
        BenchRig rig, ArchiveFile archive, string path, string tag, CancellationToken cancellationToken)
    {
        // A driver name of its own per repetition: the blob path holds the name, so every repetition publishes in full.
        var name = $"size-{archive.PayloadMiB}-{tag}";
        await rig.AddDriverAsync(name, path, cancellationToken);
        var sync = await MemoryProbe.MeasureAsync(() => rig.BytesServedDuringAsync([path], async () =>
            Expect.Result(await rig.Mirror.SyncAsync(name, cancellationToken: cancellationToken), SyncResult.Published)));
        Expect.That(sync.Bytes == archive.Length, $"the sync fetched {sync.Bytes} bytes of {archive.Length}");

        // The record now holds the upstream's ETag: the next sync revalidates, and the upstream answers 304.
        var unchanged = await MemoryProbe.MeasureAsync(() => rig.BytesServedDuringAsync([path], async () =>
            Expect.Result(await rig.Mirror.SyncAsync(name, cancellationToken: cancellationToken), SyncResult.Unchanged)));
        Expect.That(unchanged.Bytes == 0, $"the unchanged sync fetched {unchanged.Bytes} bytes");

        await rig.ForgetDriversAsync([name], cancellationToken);

        // The no-op is credited with the archive it did not move, which makes its "MiB/s" an effective rate.
        return (sync, unchanged with { Bytes = archive.Length });
    }
}
