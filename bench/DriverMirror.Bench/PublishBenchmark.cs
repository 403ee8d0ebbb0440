using DriverMirror.Mirroring;

namespace DriverMirror.Bench;

/// <summary>
/// Scenario 1: one archive moved from the loopback upstream into Azurite three ways, side by side in every repetition —
/// the naive copy (the cost floor), a publishing sync through <see cref="MirrorService.SyncAsync"/> (egress guard, fetch,
/// SHA-256 and MD5, archive inspection, staging, commit, status, index), and a periodic sync that finds the upstream unchanged.
/// </summary>
internal static class PublishBenchmark
{
    /// <summary>Runs an unmeasured warm-up at the smallest size, then every size <see cref="BenchSettings.Repetitions"/> times.</summary>
    public static async Task<IReadOnlyList<(ArchiveFile Archive, PublishRound Median)>> RunAsync(
        BenchRig rig, ArchiveFiles archives, BenchSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        var warmUp = await archives.GetAsync(settings.SizesMiB.Min(), cancellationToken);
        await RunRoundAsync(rig, warmUp, "warm", cancellationToken);
        log($"publish: warmed up with {warmUp.MiB:F0} MiB");

        var results = new List<(ArchiveFile, PublishRound)>();
        foreach (var size in settings.SizesMiB)
        {
            var archive = await archives.GetAsync(size, cancellationToken);
            var rounds = new List<PublishRound>();
            for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
            {
                var round = await RunRoundAsync(rig, archive, $"r{repetition}", cancellationToken);
                rounds.Add(round);
                log($"publish {archive.MiB,6:F1} MiB, repetition {repetition}/{settings.Repetitions}: " +
                    $"copy {round.Copy.Elapsed.TotalSeconds:F2} s, sync {round.Sync.Elapsed.TotalSeconds:F2} s, unchanged {round.Unchanged.Elapsed.TotalMilliseconds:F0} ms");
            }

            results.Add((archive, PublishRound.Median(rounds)));
        }

        return results;
    }

    private static async Task<PublishRound> RunRoundAsync(BenchRig rig, ArchiveFile archive, string tag, CancellationToken cancellationToken)
    {
        var path = $"/{archive.PayloadMiB}/{ArchiveFiles.FileName}";
        var url = rig.Serve(path, archive);

        var copyTarget = rig.Copies.GetBlobClient($"{archive.PayloadMiB}-{tag}/{ArchiveFiles.FileName}");
        var copy = await MemoryProbe.MeasureAsync(() => rig.BytesServedDuringAsync([path], () => NaiveCopy.CopyAsync(rig.Http, url, copyTarget, cancellationToken)));
        await copyTarget.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        Expect.That(copy.Bytes == archive.Length, $"the copy fetched {copy.Bytes} bytes of {archive.Length}");

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
        return new PublishRound(copy, sync, unchanged with { Bytes = archive.Length });
    }
}
