using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DriverMirror.Catalog;
using DriverMirror.Rancher;
using DriverMirror.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.WebRoot;

/// <summary>
/// Rewrites <c>index.json</c>, <c>index.html</c> and the <c>rancher/*.yaml</c> manifests at the root of the web-root
/// container from the catalog's committed state, so that concurrent writers (several syncs, several hosts) never leave any
/// of them older than the newest status.
/// </summary>
/// <remarks>
/// Each file has its own guard. A writer reads the file's ETag <em>before</em> it lists the catalog and writes with
/// <c>If-Match</c> on that ETag (<c>If-None-Match: *</c> when the file was absent), so a write succeeds only if nobody wrote the
/// file since; whoever writes after that read listed the catalog later. A writer that lost the race for a file (412, or 409
/// when the file appeared meanwhile) waits a short jittered backoff, reads the ETag again, lists the catalog again and
/// rebuilds that file; files it already wrote stay written (anyone who overwrites them read their ETag later, so listed later).
/// A file is written even when its content would not change: skipping it would let a writer that listed an older state in
/// between (say <c>syncing</c> between two <c>ready</c>s) win with it.
/// Within one process, concurrent calls are coalesced: they run one at a time, and a caller whose request is covered by a
/// rewrite that started after it asked (and so listed after its commit) returns that rewrite's index without writing again,
/// so a burst of syncs finishing together costs two rewrites rather than one ETag race per sync.
/// </remarks>
public sealed class WebRootWriter
{
    /// <summary>The JSON index blob name.</summary>
    public const string IndexJson = "index.json";

    /// <summary>The HTML index blob name.</summary>
    public const string IndexHtml = "index.html";

    private const int MaxAttempts = 12;
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions IndexJsonOptions = new(DriverJson.Options) { WriteIndented = true };
    private readonly DriverCatalog catalog;
    private readonly BlobContainerClient container;
    private readonly TimeProvider time;
    private readonly ILogger<WebRootWriter> logger;

    // Manifest paths seen so far, so their ETags are read before listing (a path first seen in a listing is written with
    // If-None-Match: * and, if it already exists, guarded properly on the next attempt).
    private readonly ConcurrentDictionary<string, bool> knownPaths = new(StringComparer.Ordinal);

    // In-process coalescing: one rewrite at a time; `covered` is the last request ticket a finished rewrite listed after.
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private long requested;
    private long covered;
    private WebRootIndex? lastWritten;

    /// <summary>Creates the writer for the container named by <see cref="MirrorOptions.ContainerName"/>.</summary>
    public WebRootWriter(DriverCatalog catalog, StorageClients storage, IOptions<MirrorOptions> options, TimeProvider time, ILogger<WebRootWriter> logger)
    {
        this.catalog = catalog;
        container = storage.Blobs.GetBlobContainerClient(options.Value.ContainerName);
        this.time = time;
        this.logger = logger;
        foreach (var path in new[] { IndexJson, IndexHtml }.Concat(RancherManifests([]).Select(m => m.Path)))
        {
            knownPaths.TryAdd(path, true);
        }
    }

    /// <summary>
    /// Lists the catalog and rewrites every web-root file from it, rebuilding any file another writer changed meanwhile; returns
    /// the index of the last listing made. Throws the <see cref="RequestFailedException"/> (412/409) if other writers still won
    /// after 12 rounds.
    /// </summary>
    public async Task<WebRootIndex> RewriteAsync(CancellationToken cancellationToken = default)
    {
        // The caller committed its change before asking, so before taking its ticket.
        var ticket = Interlocked.Increment(ref requested);
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (covered >= ticket && lastWritten is { } coalesced)
            {
                // A rewrite that started after this request finished meanwhile: it listed this caller's change.
                return coalesced;
            }

            // Every request up to here was made before this rewrite lists the catalog.
            var upTo = Interlocked.Read(ref requested);
            var index = await RewriteOnceAsync(cancellationToken);
            (lastWritten, covered) = (index, upTo);
            return index;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task<WebRootIndex> RewriteOnceAsync(CancellationToken cancellationToken)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            // 1. The current version of every file still to do, read before listing: a writer that listed earlier state
            //    cannot overwrite a later write.
            var seen = await ReadETagsAsync(knownPaths.Keys.Where(p => !done.Contains(p)), cancellationToken);

            // 2. One listing for every file of this attempt.
            var records = await catalog.ListAsync(DriverQuery.All, cancellationToken).ToListAsync(cancellationToken);
            var index = WebRootIndexBuilder.Build(records, time.GetUtcNow());
            var lost = new List<string>();
            foreach (var file in Render(index, records).Where(f => !done.Contains(f.Path)))
            {
                knownPaths.TryAdd(file.Path, true);
                var conditions = seen.TryGetValue(file.Path, out var etag) && etag is { } current
                    ? new BlobRequestConditions { IfMatch = current }
                    : new BlobRequestConditions { IfNoneMatch = ETag.All };
                try
                {
                    await UploadAsync(container.GetBlobClient(file.Path), file, conditions, cancellationToken);
                    done.Add(file.Path);
                }
                catch (RequestFailedException e) when ((e.Status is 412 or 409) && attempt < MaxAttempts)
                {
                    // Someone wrote the file after we read its ETag: list again and rebuild it.
                    lost.Add(file.Path);
                }
            }

            if (lost.Count == 0)
            {
                logger.LogInformation(
                    "Rewrote the web-root index: {DriverCount} drivers, {ArtifactCount} artifacts, {FileCount} files, {AttemptCount} attempts",
                    index.Drivers.Count, index.Drivers.Sum(d => d.Artifacts.Count), done.Count, attempt);
                return index;
            }

            var delay = Backoff(attempt);
            logger.LogDebug("Another writer changed {Paths} while rewriting them (attempt {Attempt}); listing again in {Delay}", string.Join(", ", lost), attempt, delay);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>Full-jitter exponential backoff: a random wait up to 20 ms × 2^(attempt-1), at most 1 s.</summary>
    internal static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(BackoffCap.TotalMilliseconds, BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16)));
#pragma warning disable CA5394 // Jitter only spreads retries out; nothing depends on it being unpredictable.
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
#pragma warning restore CA5394
    }

    /// <summary>Every web-root file for one listing, in write order.</summary>
    private static IEnumerable<RenderedFile> Render(WebRootIndex index, IReadOnlyCollection<DriverRecord> records)
    {
        yield return new RenderedFile(IndexJson, JsonSerializer.SerializeToUtf8Bytes(index, IndexJsonOptions), "application/json; charset=utf-8");
        yield return new RenderedFile(IndexHtml, Encoding.UTF8.GetBytes(WebRootIndexHtml.Render(index)), "text/html; charset=utf-8");
        foreach (var (path, manifest) in RancherManifests(records))
        {
            yield return new RenderedFile(path, Encoding.UTF8.GetBytes(RancherManifest.ToYaml(manifest)), "application/yaml; charset=utf-8");
        }
    }

    /// <summary>The ETag of each of <paramref name="paths"/>, <see langword="null"/> for a file that does not exist.</summary>
    private async Task<Dictionary<string, ETag?>> ReadETagsAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(paths.Select(async path =>
        {
            try
            {
                return (Path: path, ETag: (ETag?)(await container.GetBlobClient(path).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return (Path: path, ETag: null);
            }
        }));
        return reads.ToDictionary(r => r.Path, r => r.ETag, StringComparer.Ordinal);
    }

    /// <summary>
    /// <c>rancher/nodedrivers.yaml</c> and <c>rancher/kontainerdrivers.yaml</c> for linux-amd64 servers, plus a
    /// <c>-&lt;platform&gt;</c> variant for every other platform that has artifacts (arm64 Rancher servers).
    /// </summary>
    internal static IEnumerable<(string Path, RancherManifestSet Manifest)> RancherManifests(IReadOnlyCollection<DriverRecord> records)
    {
        var platforms = records.SelectMany(r => r.Status.Artifacts.Keys).Append(DriverSpec.DefaultPlatform).Distinct().Order(StringComparer.Ordinal);
        foreach (var platform in platforms)
        {
            var suffix = platform == DriverSpec.DefaultPlatform ? "" : "-" + platform;
            yield return ($"rancher/nodedrivers{suffix}.yaml", RancherManifest.Build(records, DriverKind.Node, platform));
            yield return ($"rancher/kontainerdrivers{suffix}.yaml", RancherManifest.Build(records, DriverKind.Cluster, platform));
        }
    }

    private static async Task UploadAsync(BlobClient blob, RenderedFile file, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(file.Content, writable: false);
        await blob.UploadAsync(stream, new BlobUploadOptions
        {
            Conditions = conditions,
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = file.ContentType,
                // The index changes with every sync; clients and CDNs must revalidate it.
                CacheControl = "no-cache",
            },
        }, cancellationToken);
    }

    /// <summary>One web-root file rendered from a listing.</summary>
    private sealed record RenderedFile(string Path, byte[] Content, string ContentType);
}
