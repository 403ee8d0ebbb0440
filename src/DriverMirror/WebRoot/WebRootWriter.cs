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
/// Rewrites <c>index.json</c> and <c>index.html</c> at the root of the web-root container from the catalog's committed
/// state. Each write is guarded by the blob's ETag, and a writer that lost the race lists the catalog again, so concurrent
/// rewrites never publish an index older than the newest status.
/// </summary>
public sealed class WebRootWriter
{
    /// <summary>The JSON index blob name.</summary>
    public const string IndexJson = "index.json";

    /// <summary>The HTML index blob name.</summary>
    public const string IndexHtml = "index.html";

    private const int MaxAttempts = 10;
    private readonly DriverCatalog catalog;
    private readonly BlobContainerClient container;
    private readonly TimeProvider time;
    private readonly ILogger<WebRootWriter> logger;

    /// <summary>Creates the writer for the container named by <see cref="MirrorOptions.ContainerName"/>.</summary>
    public WebRootWriter(DriverCatalog catalog, StorageClients storage, IOptions<MirrorOptions> options, TimeProvider time, ILogger<WebRootWriter> logger)
    {
        this.catalog = catalog;
        container = storage.Blobs.GetBlobContainerClient(options.Value.ContainerName);
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Lists the catalog and rewrites both index files; returns the index written.</summary>
    public async Task<WebRootIndex> RewriteAsync(CancellationToken cancellationToken = default)
    {
        var jsonBlob = container.GetBlobClient(IndexJson);
        for (var attempt = 1; ; attempt++)
        {
            // Read the ETag before listing: a writer that listed earlier state cannot overwrite a later write.
            ETag? etag = null;
            try
            {
                etag = (await jsonBlob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }

            var records = await catalog.ListAsync(DriverQuery.All, cancellationToken).ToListAsync(cancellationToken);
            var index = WebRootIndexBuilder.Build(records, time.GetUtcNow());
            var json = JsonSerializer.SerializeToUtf8Bytes(index, new JsonSerializerOptions(DriverJson.Options) { WriteIndented = true });
            var conditions = etag is { } current ? new BlobRequestConditions { IfMatch = current } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await UploadAsync(jsonBlob, json, "application/json; charset=utf-8", conditions, cancellationToken);
            }
            catch (RequestFailedException e) when ((e.Status is 412 or 409) && attempt < MaxAttempts)
            {
                logger.LogDebug("index.json changed while rewriting it (attempt {Attempt}); listing again", attempt);
                continue;
            }

            // The files derived from the same listing follow the JSON; the guarded JSON write above orders the writers.
            await UploadAsync(container.GetBlobClient(IndexHtml), Encoding.UTF8.GetBytes(WebRootIndexHtml.Render(index)), "text/html; charset=utf-8", null, cancellationToken);
            foreach (var (path, manifest) in RancherManifests(records))
            {
                await UploadAsync(container.GetBlobClient(path), Encoding.UTF8.GetBytes(RancherManifest.ToYaml(manifest)), "application/yaml; charset=utf-8", null, cancellationToken);
            }

            logger.LogInformation("Rewrote the web-root index: {DriverCount} drivers, {ArtifactCount} artifacts", index.Drivers.Count, index.Drivers.Sum(d => d.Artifacts.Count));
            return index;
        }
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

    private static async Task UploadAsync(BlobClient blob, byte[] content, string contentType, BlobRequestConditions? conditions, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        await blob.UploadAsync(stream, new BlobUploadOptions
        {
            Conditions = conditions,
            HttpHeaders = new BlobHttpHeaders
            {
                ContentType = contentType,
                // The index changes with every sync; clients and CDNs must revalidate it.
                CacheControl = "no-cache",
            },
        }, cancellationToken);
    }
}
