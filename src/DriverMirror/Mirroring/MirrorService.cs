using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using DriverMirror.Catalog;
using DriverMirror.WebRoot;
using Microsoft.Extensions.Logging;

namespace DriverMirror.Mirroring;

/// <summary>
/// One driver's sync, end to end (DESIGN §5): fetch every platform's upstream (conditionally), verify and publish it,
/// record the status without clobbering spec edits, and rewrite the web-root index. Also a parallel sync of many drivers in
/// which each distinct upstream download happens once.
/// </summary>
public sealed class MirrorService(
    DriverCatalog catalog,
    UpstreamFetcher fetcher,
    ArtifactPublisher publisher,
    UiComponentMirror uiMirror,
    WebRootWriter webRoot,
    SyncLock locks,
    TimeProvider time,
    ILogger<MirrorService> logger)
{
    /// <summary>The part of a sync that mirrors the custom UI component, named as platforms are in messages and progress.</summary>
    public const string UiPart = "ui";

    /// <summary>Syncs one driver and rewrites the index. Never throws for a failed sync: the outcome says what happened.</summary>
    public async Task<SyncOutcome> SyncAsync(string name, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var outcome = await SyncOneAsync(name, new SharedDownloads(), progress, cancellationToken);
        await RewriteIndexAsync(cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Syncs the named drivers (every active driver when <paramref name="names"/> is empty), <paramref name="parallelism"/> at
    /// a time, fetching each distinct upstream URL once. Rewrites the web-root index once at the end.
    /// </summary>
    public async Task<IReadOnlyList<SyncOutcome>> SyncManyAsync(IReadOnlyCollection<string> names, int parallelism, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var targets = names.Count > 0
            ? names.Distinct(StringComparer.Ordinal).ToList()
            : await catalog.ListAsync(new DriverQuery { Active = true }, cancellationToken).Select(r => r.Name).ToListAsync(cancellationToken);
        var shared = new SharedDownloads();
        var outcomes = new SyncOutcome[targets.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await SyncOneAsync(targets[i], shared, progress, token));
        await RewriteIndexAsync(cancellationToken);
        return outcomes;
    }

    private async Task<SyncOutcome> SyncOneAsync(string name, SharedDownloads shared, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return await SyncRecordAsync(name, shared, progress, cancellationToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // One driver's unexpected failure must not abort a run of many, nor escape as an unhandled error.
            var error = AsMirrorException(e, cancellationToken);
            logger.LogError(e, "Sync of {DriverName} failed unexpectedly", name);
            return new SyncOutcome(name, SyncResult.Failed, error?.Message ?? $"Internal error ({e.GetType().Name}); see the logs.", null, IsTransient: error?.IsTransient ?? false);
        }
    }

    private async Task<SyncOutcome> SyncRecordAsync(string name, SharedDownloads shared, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var record = await catalog.FindAsync(name, cancellationToken);
        if (record is null)
        {
            return new SyncOutcome(name, SyncResult.Failed, $"Driver '{name}' does not exist.", null);
        }

        if (DriverCatalog.DescribeIdle(record.Spec) is { } idle)
        {
            return new SyncOutcome(name, SyncResult.Skipped, idle, record);
        }

        await using var held = await locks.TryAcquireAsync(name, cancellationToken);
        if (held is null)
        {
            return new SyncOutcome(name, SyncResult.Busy, "Another sync of this driver is running.", record, IsTransient: true);
        }

        await publisher.EnsureContainerAsync(cancellationToken);
        var generation = record.Generation;
        var syncing = await catalog.UpdateStatusAsync(name, generation, s => s with
        {
            State = DriverState.Syncing,
            Message = "Syncing.",
            LastAttemptAt = time.GetUtcNow(),
        }, cancellationToken);
        if (syncing is null)
        {
            return Superseded(name);
        }

        try
        {
            return await SyncSourcesAsync(record, shared, progress, cancellationToken);
        }
        catch (Exception e)
        {
            // Never leave the record saying "syncing": whatever stopped the sync (a bug, storage, the host shutting down),
            // say so, with the last good artifacts kept. Written without the caller's token, which may be the reason.
            await RecordInterruptedAsync(record, e, cancellationToken);
            throw;
        }
    }

    private async Task<SyncOutcome> SyncSourcesAsync(DriverRecord record, SharedDownloads shared, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var name = record.Name;
        var generation = record.Generation;
        var sources = record.Spec.Sources().ToList();
        var artifacts = new Dictionary<string, MirroredArtifact>(StringComparer.Ordinal);
        var failures = new List<(string Platform, MirrorException Error)>();
        var published = new List<string>();
        var upstreamChanged = false;
        void Fail(string part, MirrorException error)
        {
            progress?.Report(new SyncProgress(name, part, "failed", 0, null));
            logger.LogWarning("Sync of {DriverName} {Platform} failed ({Retry}): {Reason}", name, part, error.IsTransient ? "transient" : "permanent", error.Message);
            failures.Add((part, error));
        }

        foreach (var (platform, source) in sources)
        {
            try
            {
                var result = await SyncPlatformAsync(record, platform, source, shared, progress, cancellationToken);
                artifacts[platform] = result.Artifact;
                upstreamChanged |= result.UpstreamChanged;
                if (result.Published)
                {
                    published.Add(platform);
                }
            }
            catch (Exception e) when (AsMirrorException(e, cancellationToken) is { } error)
            {
                Fail(platform, error);
                if (record.Status.Artifacts.TryGetValue(platform, out var previous))
                {
                    // A failed sync never replaces the last good artifact.
                    artifacts[platform] = previous;
                }
            }
        }

        // The custom UI component, after the binaries: a browser in the same air gap needs it to show the driver's form.
        var ui = record.Spec.UiUrl is null ? null : record.Status.Ui;
        if (record.Spec.UiUrl is { } uiUrl)
        {
            try
            {
                progress?.Report(new SyncProgress(name, UiPart, "fetching", 0, null));
                var result = await uiMirror.SyncAsync(name, uiUrl, record.Status.Ui, cancellationToken);
                (ui, upstreamChanged) = (result.Ui, upstreamChanged || result.UpstreamChanged);
                if (result.Published)
                {
                    published.Add(UiPart);
                }

                progress?.Report(new SyncProgress(name, UiPart, result.Published ? "done" : "unchanged", result.Ui.Size, result.Ui.Size));
            }
            catch (Exception e) when (AsMirrorException(e, cancellationToken) is { } error)
            {
                // As for the binaries, the last good UI component stays published and recorded.
                Fail(UiPart, error);
            }
        }

        var transient = failures.Count > 0 && failures.All(f => f.Error.IsTransient);
        var message = failures.Count == 0
            ? published.Count > 0 ? $"Published {string.Join(", ", published)}." : "Up to date."
            : (transient ? "Will retry: " : "") + string.Join("; ", failures.Select(f => $"{f.Platform}: {f.Error.Message}"));
        var now = time.GetUtcNow();
        var updated = await catalog.UpdateStatusAsync(name, generation, s => s with
        {
            ObservedGeneration = generation,
            State = failures.Count == 0 ? DriverState.Ready : DriverState.Failed,
            Message = message,
            Artifacts = artifacts,
            Ui = ui,
            LastSuccessAt = failures.Count == 0 ? now : s.LastSuccessAt,
            ConsecutiveFailures = failures.Count == 0 ? 0 : s.ConsecutiveFailures + 1,
            UpstreamChanged = s.UpstreamChanged || upstreamChanged,
        }, cancellationToken);
        if (updated is null)
        {
            return Superseded(name);
        }

        logger.LogInformation("Synced {DriverName} at generation {Generation}: {State} {Message}", name, generation, updated.Status.State, message);
        var outcome = failures.Count > 0 ? SyncResult.Failed : published.Count > 0 ? SyncResult.Published : SyncResult.Unchanged;
        return new SyncOutcome(name, outcome, message, updated, transient, transient ? failures.Max(f => f.Error.RetryAfter) : null);
    }

    private async Task RecordInterruptedAsync(DriverRecord record, Exception error, CancellationToken cancellationToken)
    {
        var cancelled = error is OperationCanceledException && cancellationToken.IsCancellationRequested;
        var reason = cancelled ? "Interrupted before it finished; the next sync retries."
            : AsMirrorException(error, cancellationToken) is { } mirror ? mirror.Message
            : $"Internal error ({error.GetType().Name}); see the logs.";
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await catalog.UpdateStatusAsync(record.Name, record.Generation, s => s with
            {
                ObservedGeneration = record.Generation,
                State = DriverState.Failed,
                Message = reason,
                ConsecutiveFailures = s.ConsecutiveFailures + 1,
            }, timeout.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or CatalogException)
        {
            logger.LogError(e, "Could not record the interrupted sync of {DriverName}", record.Name);
        }
    }

    private async Task<PlatformResult> SyncPlatformAsync(DriverRecord record, string platform, PlatformSource source, SharedDownloads shared, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var name = record.Name;
        var url = source.Url!;
        record.Status.Artifacts.TryGetValue(platform, out var previous);
        var sameUrl = previous is not null && previous.UpstreamUrl == url;
        var pinned = PinnedChecksum.TryParse(source.Checksum);
        if (sameUrl && pinned is { } pin && pin.Algorithm == HashAlgorithmName.SHA256 && pin.Matches(previous!.Sha256))
        {
            // Pinned content that is already published cannot have changed: no request at all.
            return new PlatformResult(previous, Published: false, UpstreamChanged: false);
        }

        var validators = sameUrl ? new UpstreamValidators(previous!.UpstreamEtag, previous.UpstreamLastModified) : null;
        var key = new DownloadKey(url, validators, record.Spec.Builtin, pinned?.Hex);
        var download = await shared.GetOrStart(key, () => DownloadAsync(name, platform, url, validators, pinned, record.Spec.Builtin, progress, cancellationToken));
        if (download.NotModified)
        {
            return new PlatformResult(previous!, Published: false, UpstreamChanged: false);
        }

        var artifact = download.Artifact!;
        if (!artifact.BlobPath.StartsWith(name + "/", StringComparison.Ordinal))
        {
            // Another driver in this run fetched the same upstream: copy on the server instead of downloading again.
            artifact = await publisher.CopyAsync(artifact, name, cancellationToken);
        }

        var mirrored = new MirroredArtifact
        {
            BlobPath = artifact.BlobPath,
            PublicUrl = artifact.PublicUrl.AbsoluteUri,
            FileName = artifact.BlobPath[(artifact.BlobPath.LastIndexOf('/') + 1)..],
            Size = artifact.Size,
            Sha256 = artifact.Sha256,
            Format = artifact.Format,
            DriverBinary = artifact.DriverBinary,
            UpstreamUrl = url,
            UpstreamEtag = download.ETag,
            UpstreamLastModified = download.LastModified,
            FetchedAt = download.FetchedAt,
        };
        var changed = previous is null || previous.BlobPath != mirrored.BlobPath;
        var upstreamChanged = sameUrl && previous!.Sha256 != mirrored.Sha256;
        if (upstreamChanged)
        {
            logger.LogWarning("Upstream {Url} of {DriverName} now serves different bytes: {OldSha256} became {NewSha256}", SafeUrl(url), name, previous!.Sha256, mirrored.Sha256);
        }

        return new PlatformResult(mirrored, changed, upstreamChanged);
    }

    private async Task<Download> DownloadAsync(string name, string platform, string url, UpstreamValidators? validators, PinnedChecksum? pinned, bool builtin, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new SyncProgress(name, platform, "fetching", 0, null));
        await using var response = await fetcher.FetchAsync(new Uri(url), validators, cancellationToken);
        if (response.NotModified)
        {
            progress?.Report(new SyncProgress(name, platform, "unchanged", 0, null));
            return new Download(null, response.ETag, response.LastModified, time.GetUtcNow(), NotModified: true);
        }

        var fetchedAt = time.GetUtcNow();
        var body = progress is null
            ? response.Body
            : new ProgressStream(response.Body, bytes => progress.Report(new SyncProgress(name, platform, "downloading", bytes, response.ContentLength)));
        var request = new PublishRequest(name, FileNameOf(url, name, response.ContentDispositionFileName), pinned, new ArchiveRules { AllowBundle = builtin });
        var artifact = await publisher.PublishAsync(request, body, cancellationToken);
        progress?.Report(new SyncProgress(name, platform, "done", artifact.Size, artifact.Size));
        return new Download(artifact, response.ETag, response.LastModified, fetchedAt, NotModified: false);
    }

    private async Task RewriteIndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            await publisher.EnsureContainerAsync(cancellationToken);
            await webRoot.RewriteAsync(cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // The artifacts and statuses are committed; the next sync rewrites the index.
            logger.LogError(e, "Could not rewrite the web-root index");
        }
    }

    /// <summary>The upstream file name: the URL's last path segment, which Rancher's provisioning pods rely on.</summary>
    internal static string FileNameOf(string url, string driverName, string? contentDispositionFileName = null)
    {
        var segment = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Uri.UnescapeDataString(uri.Segments[^1]).Trim('/') : "";
        if (ArtifactPublisher.IsUsableFileName(segment))
        {
            return segment;
        }

        return contentDispositionFileName is { } fromHeader && ArtifactPublisher.IsUsableFileName(Path.GetFileName(fromHeader))
            ? Path.GetFileName(fromHeader)
            : $"docker-machine-driver-{driverName}";
    }


    private static string SafeUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "(invalid url)";

    private static MirrorException? AsMirrorException(Exception e, CancellationToken cancellationToken) => e switch
    {
        MirrorException mirror => mirror,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        OperationCanceledException => MirrorException.Transient("Timed out.", innerException: e),
        RequestFailedException storage => MirrorException.Transient($"Storage error {storage.Status} ({storage.ErrorCode}).", innerException: e),
        HttpRequestException or IOException => MirrorException.Transient($"Network error: {e.Message}", innerException: e),
        _ => null,
    };

    private static SyncOutcome Superseded(string name) =>
        new(name, SyncResult.Superseded, "The spec changed during the sync; its result was discarded.", null, IsTransient: true);

    private sealed record PlatformResult(MirroredArtifact Artifact, bool Published, bool UpstreamChanged);

    private sealed record Download(PublishedArtifact? Artifact, string? ETag, DateTimeOffset? LastModified, DateTimeOffset FetchedAt, bool NotModified);

    private sealed record DownloadKey(string Url, UpstreamValidators? Validators, bool AllowBundle, string? Pinned);

    /// <summary>Downloads started in one run, by upstream URL and request: records that share an upstream wait for one download.</summary>
    private sealed class SharedDownloads
    {
        private readonly ConcurrentDictionary<DownloadKey, Lazy<Task<Download>>> downloads = new();

        public Task<Download> GetOrStart(DownloadKey key, Func<Task<Download>> start) =>
            downloads.GetOrAdd(key, _ => new Lazy<Task<Download>>(start)).Value;
    }
}
