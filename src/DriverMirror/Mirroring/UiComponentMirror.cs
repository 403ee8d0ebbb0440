using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>
/// Mirrors a driver's custom UI component (the spec's <c>uiUrl</c>): Rancher's UI loads that script, and the stylesheet
/// beside it (the same URL with <c>.css</c> for <c>.js</c>), from the operator's browser, which in an air-gapped site cannot
/// reach GitHub either. Both files are published side by side under <c>&lt;name&gt;/ui/&lt;bundle&gt;/</c>, where the bundle
/// is a digest of both files' contents, so a published URL never changes content.
/// </summary>
/// <remarks>
/// A UI component is a small text file, not an archive: it is read into memory up to <see cref="MaxFileBytes"/> (a bound,
/// not the archive-size cap) and checked to be UTF-8 text rather than an HTML page, an empty body or binary data.
/// </remarks>
public sealed class UiComponentMirror
{
    /// <summary>The largest script or stylesheet accepted (a Rancher UI component is tens to hundreds of KiB).</summary>
    public const int MaxFileBytes = 8 * 1024 * 1024;

    private const string ImmutableCacheControl = "public, max-age=31536000, immutable";
    private const string DefaultScriptName = "component.js";

    private readonly UpstreamFetcher fetcher;
    private readonly ArtifactPublisher publisher;
    private readonly BlobContainerClient container;
    private readonly TimeProvider time;
    private readonly ILogger<UiComponentMirror> logger;

    /// <summary>Creates the mirror over the web-root container named in <paramref name="options"/>.</summary>
    public UiComponentMirror(StorageClients storage, IOptions<MirrorOptions> options, UpstreamFetcher fetcher, ArtifactPublisher publisher, TimeProvider time, ILogger<UiComponentMirror> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        this.fetcher = fetcher;
        this.publisher = publisher;
        this.time = time;
        this.logger = logger;
        container = storage.Blobs.GetBlobContainerClient(options.Value.ContainerName);
    }

    /// <summary>
    /// Fetches <paramref name="uiUrl"/> (conditionally, when <paramref name="previous"/> came from the same URL) and its
    /// stylesheet, verifies both and publishes them. A missing stylesheet (404 or 410) is not an error: many components
    /// have none.
    /// </summary>
    /// <exception cref="MirrorException">The upstream failed (transient or not) or served something that is not a text file.</exception>
    public async Task<UiSyncResult> SyncAsync(string driverName, string uiUrl, MirroredUi? previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uiUrl);
        var scriptUrl = new Uri(uiUrl);
        var sameUrl = previous is not null && previous.UpstreamUrl == uiUrl;
        var validators = sameUrl ? new UpstreamValidators(previous!.UpstreamEtag, previous.UpstreamLastModified) : null;

        TextFile script;
        string? etag;
        DateTimeOffset? lastModified;
        await using (var response = await fetcher.FetchAsync(scriptUrl, validators, cancellationToken))
        {
            if (response.NotModified)
            {
                return new UiSyncResult(previous!, Published: false, UpstreamChanged: false);
            }

            (etag, lastModified) = (response.ETag, response.LastModified);
            script = await ReadTextFileAsync(response.Body, "script", cancellationToken);
        }

        var fetchedAt = time.GetUtcNow();
        var fileName = ScriptFileNameOf(scriptUrl);
        TextFile? stylesheet = null;
        if (StylesheetUrlOf(scriptUrl) is { } stylesheetUrl)
        {
            try
            {
                await using var response = await fetcher.FetchAsync(stylesheetUrl, validators: null, cancellationToken);
                stylesheet = await ReadTextFileAsync(response.Body, "stylesheet", cancellationToken);
            }
            catch (MirrorException e) when (e.UpstreamStatus is 404 or 410)
            {
                logger.LogDebug("The UI component of {DriverName} has no stylesheet ({Status})", driverName, e.UpstreamStatus);
            }
        }

        var folder = $"{driverName}/ui/{BundleOf(script, stylesheet)}";
        string? stylesheetPath = null;
        if (stylesheet is not null)
        {
            // The stylesheet first: once the script's URL exists, so does everything it is published with.
            stylesheetPath = $"{folder}/{Path.ChangeExtension(fileName, ".css")}";
            await UploadAsync(stylesheetPath, stylesheet, "text/css; charset=utf-8", cancellationToken);
        }

        var scriptPath = $"{folder}/{fileName}";
        var committed = await UploadAsync(scriptPath, script, "text/javascript; charset=utf-8", cancellationToken);
        var ui = new MirroredUi
        {
            BlobPath = scriptPath,
            PublicUrl = publisher.PublicUrlFor(scriptPath).AbsoluteUri,
            FileName = fileName,
            Size = script.Content.Length,
            Sha256 = script.Sha256,
            StylesheetUrl = stylesheetPath is null ? null : publisher.PublicUrlFor(stylesheetPath).AbsoluteUri,
            StylesheetSha256 = stylesheet?.Sha256,
            UpstreamUrl = uiUrl,
            UpstreamEtag = etag,
            UpstreamLastModified = lastModified,
            FetchedAt = fetchedAt,
        };
        logger.LogInformation("Published the UI component of {DriverName} at {BlobPath} (stylesheet: {HasStylesheet}, already there: {AlreadyPublished})",
            driverName, scriptPath, stylesheet is not null, !committed);
        var upstreamChanged = sameUrl && previous!.BlobPath != ui.BlobPath;
        return new UiSyncResult(ui, Published: previous?.BlobPath != ui.BlobPath, upstreamChanged);
    }

    /// <summary>Where Rancher's UI looks for the stylesheet: the script's URL with <c>.css</c> for <c>.js</c>; none otherwise.</summary>
    internal static Uri? StylesheetUrlOf(Uri scriptUrl) =>
        scriptUrl.AbsolutePath.EndsWith(".js", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(scriptUrl) { Path = scriptUrl.AbsolutePath[..^3] + ".css" }.Uri
            : null;

    /// <summary>The script's upstream file name, or <c>component.js</c> when the URL's last segment is not a usable <c>.js</c> name.</summary>
    internal static string ScriptFileNameOf(Uri scriptUrl)
    {
        var segment = Uri.UnescapeDataString(scriptUrl.Segments[^1]).Trim('/');
        return ArtifactPublisher.IsUsableFileName(segment) && segment.EndsWith(".js", StringComparison.OrdinalIgnoreCase) ? segment : DefaultScriptName;
    }

    private static string BundleOf(TextFile script, TextFile? stylesheet) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{script.Sha256}\n{stylesheet?.Sha256}")));

    private static async Task<TextFile> ReadTextFileAsync(Stream body, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
            {
                throw MirrorException.Permanent($"the UI {what} is larger than {MaxFileBytes} bytes; a UI component is a small text file");
            }

            buffer.Write(chunk, 0, read);
        }

        var content = buffer.ToArray();
        if (content.Length == 0)
        {
            throw MirrorException.Permanent($"received an empty body, not a UI {what}");
        }

        if (ReceivedContent.LooksLikeHtml(content.AsSpan(0, Math.Min(content.Length, 512))))
        {
            throw MirrorException.Permanent($"received an HTML page ({content.Length} bytes), not a UI {what}");
        }

        if (content.AsSpan().Contains((byte)0) || !System.Text.Unicode.Utf8.IsValid(content))
        {
            throw MirrorException.Permanent($"received {content.Length} bytes of binary data, not a UI {what} (UTF-8 text)");
        }

        return new TextFile(content, Convert.ToHexStringLower(SHA256.HashData(content)), MD5.HashData(content));
    }

    /// <summary>Uploads <paramref name="file"/> unless the path exists; returns whether it was written.</summary>
    private async Task<bool> UploadAsync(string blobPath, TextFile file, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new MemoryStream(file.Content, writable: false);
            await container.GetBlobClient(blobPath).UploadAsync(content, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType, CacheControl = ImmutableCacheControl, ContentHash = file.Md5 },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // The path is a digest of the content: what is there is what would be written.
            return false;
        }
    }

    private sealed record TextFile(byte[] Content, string Sha256, byte[] Md5);
}
