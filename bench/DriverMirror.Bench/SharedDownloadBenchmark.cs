using DriverMirror.Mirroring;

namespace DriverMirror.Bench;

/// <summary>
/// Scenario 2: <see cref="BenchSettings.Drivers"/> new drivers synced by one <see cref="MirrorService.SyncManyAsync"/>, once
/// all pointing at one upstream URL (downloaded once, then copied server-side to each driver) and once each at a URL of its
/// own serving the same bytes (downloaded and published once per driver). Both layouts run in every repetition, in
/// alternating order.
/// </summary>
internal static class SharedDownloadBenchmark
{
    public static async Task<SharedDownloadResult> RunAsync(
        BenchRig rig, ArchiveFiles archives, BenchSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        var archive = await archives.GetAsync(settings.SharedSizeMiB, cancellationToken);
        var sharedPath = $"/shared/{ArchiveFiles.FileName}";
        rig.Serve(sharedPath, archive);
        var shared = Enumerable.Repeat(sharedPath, settings.Drivers).ToList();
        var distinct = Enumerable.Range(1, settings.Drivers).Select(i => $"/distinct/{i}/{ArchiveFiles.FileName}").ToList();
        foreach (var path in distinct)
        {
            rig.Serve(path, archive);
        }

        await RunLayoutAsync(rig, shared.Take(2).ToList(), "warm-shared", settings.Parallelism, cancellationToken);
        await RunLayoutAsync(rig, distinct.Take(2).ToList(), "warm-distinct", settings.Parallelism, cancellationToken);
        log($"shared downloads: warmed up with 2 drivers of {archive.MiB:F0} MiB");

        // Odd repetitions run one URL first, even ones N URLs first, so neither layout always runs first.
        var rounds = new List<SharedDownloadRound>();
        for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
        {
            var sharedFirst = repetition % 2 == 1;
            LayoutRun sharedRun, distinctRun;
            if (sharedFirst)
            {
                sharedRun = await RunLayoutAsync(rig, shared, $"shared-r{repetition}", settings.Parallelism, cancellationToken);
                distinctRun = await RunLayoutAsync(rig, distinct, $"distinct-r{repetition}", settings.Parallelism, cancellationToken);
            }
            else
            {
                distinctRun = await RunLayoutAsync(rig, distinct, $"distinct-r{repetition}", settings.Parallelism, cancellationToken);
                sharedRun = await RunLayoutAsync(rig, shared, $"shared-r{repetition}", settings.Parallelism, cancellationToken);
            }

            var round = new SharedDownloadRound(sharedRun, distinctRun, sharedFirst);
            rounds.Add(round);
            log($"shared downloads, repetition {repetition}/{settings.Repetitions} ({(sharedFirst ? "one URL first" : $"{settings.Drivers} URLs first")}): " +
                $"one URL {sharedRun.Measurement.Elapsed.TotalSeconds:F2} s, {settings.Drivers} URLs {distinctRun.Measurement.Elapsed.TotalSeconds:F2} s; " +
                $"wall time ratio {round.WallTimeRatio:F2}");
        }

        return new SharedDownloadResult(archive, settings.Drivers, rounds);
    }

    /// <summary>Adds a new driver per path (in order), syncs them all in one call, checks every one published, and forgets them.</summary>
    private static async Task<LayoutRun> RunLayoutAsync(BenchRig rig, IReadOnlyList<string> paths, string tag, int parallelism, CancellationToken cancellationToken)
    {
        var names = paths.Select((_, i) => $"{tag}-{i + 1}").ToList();
        for (var i = 0; i < names.Count; i++)
        {
            await rig.AddDriverAsync(names[i], paths[i], cancellationToken);
        }

        var downloadsBefore = rig.DownloadsServed(paths);
        var measurement = await MemoryProbe.MeasureAsync(() => rig.BytesServedDuringAsync(paths, async () =>
        {
            foreach (var outcome in await rig.Mirror.SyncManyAsync(names, parallelism, cancellationToken: cancellationToken))
            {
                Expect.Result(outcome, SyncResult.Published);
            }
        }));
        var downloads = rig.DownloadsServed(paths) - downloadsBefore;

        await rig.ForgetDriversAsync(names, cancellationToken);
        return new LayoutRun(measurement, downloads);
    }
}
