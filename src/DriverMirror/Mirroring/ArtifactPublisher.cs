using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>
/// Publishes verified archives into the public web-root container. One streaming pass hashes (SHA-256, MD5, and the pinned
/// algorithm), feeds the <see cref="ArchiveInspector"/> and stages blocks; the blob is committed only after every check passed.
/// </summary>
/// <remarks>
/// <para>
/// How a blob appears atomically although its name (<c>name/sha256/file</c>) is known only after the last byte: the bytes are
/// staged as blocks of a blob in the private container <c>&lt;ContainerName&gt;-staging</c> (no public access), committed there
/// once the pinned checksum matched and the inspector accepted the archive, then copied server-side with Put Block From URL
/// (<see cref="BlockBlobClient.StageBlockFromUriAsync(Uri, string, Azure.Storage.Blobs.Models.StageBlockFromUriOptions, CancellationToken)"/>)
/// as uncommitted blocks of the final blob, which one Put Block List makes visible at once with its headers, under
/// <c>If-None-Match: *</c> so a published artifact is never overwritten. Uncommitted blocks are invisible to readers, so
/// nothing partial or unverified is ever served. The alternatives are weaker: an asynchronous Copy Blob leaves a pending
/// destination readers can hit, synchronous Copy Blob From URL stops at 256 MiB, and Put Blob From URL is not implemented by
/// Azurite. Put Block From URL works on Azure and Azurite 3.37 alike; its source is read with a short-lived SAS
/// (<see cref="BlobReadAccess"/>).
/// </para>
/// <para>
/// Errors: a failure of the body stream (<see cref="IOException"/>, or a <see cref="MirrorException"/> from the upstream, such
/// as the size cap) propagates unchanged; refused content and checksum mismatches are permanent <see cref="MirrorException"/>s;
/// storage failures (<see cref="RequestFailedException"/>) are wrapped in a transient <see cref="MirrorException"/> with the
/// service's status and error code, the original as its inner exception. The staging blob is deleted in every case.
/// </para>
/// </remarks>
public sealed class ArtifactPublisher
{
    /// <summary>Bytes per staged block.</summary>
    internal const int BlockSize = 4 * 1024 * 1024;

    /// <summary>Blocks uploading at once; with the one filling, the most block memory a publish holds.</summary>
    internal const int MaxBlocksInFlight = 4;

    /// <summary>Bytes the inspector may lag behind the download before the download waits for it.</summary>
    internal const long InspectorPauseThreshold = 1024 * 1024;

    /// <summary>
    /// The inspector pipe's segment size. With the default (4 KiB) the 256 segments a full pipe holds overflow the shared
    /// array pool, and the pipe allocates about as many bytes as it carries; 16 segments of 64 KiB are reused (bench/README.md).
    /// </summary>
    internal const int InspectorPipeSegmentSize = 64 * 1024;

    // Range copied per Put Block From URL (the service accepts up to 4000 MiB; smaller ranges keep each request short).
    private const long CopyRangeSize = 256L * 1024 * 1024;

    private const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private readonly MirrorOptions options;
    private readonly ArchiveInspector inspector;
    private readonly ILogger<ArtifactPublisher> logger;
    private readonly TimeProvider time;
    private readonly BlobContainerClient container;
    private readonly BlobContainerClient staging;
    private readonly BlobReadAccess readAccess;
    private readonly OnceAsync ensureContainers;
    private readonly ArrayPool<byte> blocks = ArrayPool<byte>.Create(BlockSize, 4 * (MaxBlocksInFlight + 1));

    /// <summary>Creates the publisher over the web-root container named in <paramref name="options"/>.</summary>
    public ArtifactPublisher(StorageClients storage, IOptions<MirrorOptions> options, ArchiveInspector inspector, TimeProvider time, ILogger<ArtifactPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.inspector = inspector;
        this.logger = logger;
        this.time = time;
        container = storage.Blobs.GetBlobContainerClient(this.options.ContainerName);
        staging = storage.Blobs.GetBlobContainerClient(this.options.StagingContainerName);
        readAccess = new BlobReadAccess(storage.Blobs, time);
        ensureContainers = new OnceAsync(CreateContainersAsync);
    }

    /// <summary>The private container where artifacts are staged before they are verified (<c>&lt;ContainerName&gt;-staging</c>).</summary>
    public string StagingContainer => staging.Name;

    /// <summary>Creates the container if needed: anonymous read of blobs, no anonymous listing.</summary>
    public Task EnsureContainerAsync(CancellationToken cancellationToken = default) => ensureContainers.RunAsync(cancellationToken);

    /// <summary>Streams <paramref name="body"/> into the web root, verifying as it goes.</summary>
    /// <exception cref="MirrorException">Permanent when the content is refused or the checksum differs; nothing is committed then.</exception>
    public async Task<PublishedArtifact> PublishAsync(PublishRequest request, Stream body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ValidatePathSegments(request.DriverName, request.FileName);

        await WithStorageErrorsAsTransient(() => EnsureContainerAsync(cancellationToken));
        var stagingBlob = new StagingBlob(
            staging.GetBlockBlobClient($"{Guid.NewGuid():N}/{request.FileName}"), blocks, BlockSize, MaxBlocksInFlight, logger);
        await using (stagingBlob)
        {
            using var digests = new ArtifactDigests(request.Expected?.Algorithm);
            var started = time.GetTimestamp();
            var (report, size) = await StreamThroughAsync(request, body, digests, stagingBlob, cancellationToken);
            var streamed = time.GetElapsedTime(started);

            if (request.Expected is { } expected)
            {
                var actual = digests.HexOf(expected.Algorithm);
                if (!expected.Matches(actual))
                {
                    throw MirrorException.Permanent(
                        $"checksum mismatch: expected {expected.Algorithm.Name!.ToLowerInvariant()} {expected.Hex}, received {actual}");
                }
            }

            var sha256 = digests.Sha256Hex;
            var blobPath = $"{request.DriverName}/{sha256}/{request.FileName}";
            var headers = new BlobHttpHeaders
            {
                ContentType = ArchiveFormat.ContentTypeOf(report.Format),
                CacheControl = ImmutableCacheControl,
                ContentHash = digests.Md5,
            };
            var metadata = new Dictionary<string, string>
            {
                ["sha256"] = sha256,
                ["format"] = report.Format,
                ["driverbinary"] = Uri.EscapeDataString(report.DriverBinary),
                ["upstreamfilename"] = Uri.EscapeDataString(request.FileName),
            };

            var committed = await WithStorageErrorsAsTransient(async () =>
            {
                var target = container.GetBlockBlobClient(blobPath);
                if (await target.ExistsAsync(cancellationToken))
                {
                    return false;
                }

                await stagingBlob.CommitAsync(cancellationToken);
                var source = await readAccess.ReadUriAsync(stagingBlob.Client, cancellationToken);
                return await CommitCopyAsync(source, size, target, headers, metadata, cancellationToken);
            });

            if (committed)
            {
                logger.LogInformation(
                    "Published {BlobPath}: {Size} bytes, {Format}, driver {DriverBinary}; streamed in {StreamedMs} ms, committed in {CommittedMs} ms",
                    blobPath, size, report.Format, report.DriverBinary, (long)streamed.TotalMilliseconds, (long)(time.GetElapsedTime(started) - streamed).TotalMilliseconds);
            }
            else
            {
                logger.LogInformation("{BlobPath} was already published; nothing committed", blobPath);
            }

            return new PublishedArtifact(blobPath, PublicUrlFor(blobPath), sha256, size, report.Format, report.DriverBinary, AlreadyPublished: !committed);
        }
    }

    /// <summary>Publishes an already committed artifact under another driver's name by server-side copy (shared upstream URLs).</summary>
    public async Task<PublishedArtifact> CopyAsync(PublishedArtifact source, string driverName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var fileName = source.BlobPath[(source.BlobPath.LastIndexOf('/') + 1)..];
        ValidatePathSegments(driverName, fileName);
        var blobPath = $"{driverName}/{source.Sha256}/{fileName}";
        if (blobPath == source.BlobPath)
        {
            return source with { AlreadyPublished = true };
        }

        await WithStorageErrorsAsTransient(() => EnsureContainerAsync(cancellationToken));
        var committed = await WithStorageErrorsAsTransient(async () =>
        {
            var target = container.GetBlockBlobClient(blobPath);
            if (await target.ExistsAsync(cancellationToken))
            {
                return false;
            }

            var from = container.GetBlockBlobClient(source.BlobPath);
            BlobProperties properties = await from.GetPropertiesAsync(cancellationToken: cancellationToken);
            var headers = new BlobHttpHeaders
            {
                ContentType = properties.ContentType,
                CacheControl = properties.CacheControl,
                ContentHash = properties.ContentHash,
            };
            var readUri = await readAccess.ReadUriAsync(from, cancellationToken);
            return await CommitCopyAsync(readUri, properties.ContentLength, target, headers, properties.Metadata, cancellationToken);
        });

        logger.LogInformation("Copied {SourceBlobPath} to {BlobPath} (already there: {AlreadyPublished})", source.BlobPath, blobPath, !committed);
        return source with { BlobPath = blobPath, PublicUrl = PublicUrlFor(blobPath), AlreadyPublished = !committed };
    }

    /// <summary>The public URL of a blob path (honours <see cref="MirrorOptions.PublicBaseUrl"/>).</summary>
    public Uri PublicUrlFor(string blobPath)
    {
        ArgumentNullException.ThrowIfNull(blobPath);
        var escaped = string.Join('/', blobPath.Split('/').Select(Uri.EscapeDataString));
        var baseUrl = options.PublicBaseUrl?.AbsoluteUri ?? container.Uri.AbsoluteUri;
        return new Uri($"{baseUrl.TrimEnd('/')}/{escaped}");
    }

    private static void ValidatePathSegments(string driverName, string fileName)
    {
        if (!DriverName.IsValid(driverName))
        {
            throw new ArgumentException($"'{driverName}' is not a valid driver name.", nameof(driverName));
        }

        if (!IsUsableFileName(fileName))
        {
            throw new ArgumentException($"'{fileName}' is not a usable file name.", nameof(fileName));
        }
    }

    /// <summary>Whether <paramref name="name"/> can be the last segment of an artifact's blob path.</summary>
    internal static bool IsUsableFileName(string name) =>
        name.Length is > 0 and <= 255 && !string.IsNullOrWhiteSpace(name) && name is not "." and not ".."
        && name.IndexOfAny(['/', '\\']) < 0 && !name.Any(char.IsControl);

    private static async Task<T> WithStorageErrorsAsTransient<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (RequestFailedException ex)
        {
            throw StorageFailure(ex);
        }
    }

    private static async Task WithStorageErrorsAsTransient(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RequestFailedException ex)
        {
            throw StorageFailure(ex);
        }
    }

    private static MirrorException StorageFailure(RequestFailedException ex) =>
        MirrorException.Transient($"blob storage request failed ({ex.Status} {ex.ErrorCode}): {ex.Message.Split('\n')[0]}", innerException: ex);

    private async Task CreateContainersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateIfNotExistsAsync(PublicAccessType.Blob, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "PublicAccessNotPermitted")
        {
            // The account forbids anonymous access: the web root then needs a front (CDN, Front Door) at PublicBaseUrl.
            logger.LogWarning("The storage account forbids anonymous access; container {Container} is private and must be served through Mirror:PublicBaseUrl", container.Name);
            await container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        }

        await staging.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The one pass: reads <paramref name="body"/>, hashing each chunk, handing it to the inspector through a bounded pipe and
    /// filling blocks that upload while the next fills. Returns once the inspector accepted and every block is staged.
    /// </summary>
    private async Task<(ArchiveReport Report, long Size)> StreamThroughAsync(
        PublishRequest request, Stream body, ArtifactDigests digests, StagingBlob stagingBlob, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: InspectorPauseThreshold,
            resumeWriterThreshold: InspectorPauseThreshold / 2,
            minimumSegmentSize: InspectorPipeSegmentSize,
            useSynchronizationContext: false));
        var inspection = Task.Run(
            async () =>
            {
                try
                {
                    return await inspector.InspectAsync(pipe.Reader.AsStream(leaveOpen: true), request.FileName, request.Rules, stop.Token);
                }
                catch
                {
                    // A refusal makes the rest of the download pointless.
                    await stop.CancelAsync();
                    throw;
                }
                finally
                {
                    await pipe.Reader.CompleteAsync();
                }
            },
            CancellationToken.None);

        ExceptionDispatchInfo? bodyFault = null;
        Exception? pumpFault = null;
        long size = 0;
        try
        {
            var block = stagingBlob.RentBlock();
            var filled = 0;
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(block.AsMemory(filled, BlockSize - filled), stop.Token);
                    }
                    catch (Exception ex)
                    {
                        bodyFault = ExceptionDispatchInfo.Capture(ex);
                        throw;
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    var chunk = block.AsMemory(filled, read);
                    digests.Append(chunk.Span);
                    size += read;
                    filled += read;
                    var flushed = await pipe.Writer.WriteAsync(chunk, stop.Token);
                    if (flushed.IsCompleted)
                    {
                        // The inspector stopped reading before the end: it refused the content.
                        break;
                    }

                    if (filled == BlockSize)
                    {
                        var full = block;
                        block = null;
                        await stagingBlob.StageAsync(full, filled, stop.Token);
                        block = stagingBlob.RentBlock();
                        filled = 0;
                    }
                }

                if (filled > 0)
                {
                    var last = block;
                    block = null;
                    await stagingBlob.StageAsync(last, filled, stop.Token);
                }
            }
            finally
            {
                if (block is not null)
                {
                    stagingBlob.ReturnBlock(block);
                }
            }

            await pipe.Writer.CompleteAsync();
            digests.Finish();
        }
        catch (Exception ex)
        {
            pumpFault = ex;
            await pipe.Writer.CompleteAsync(ex);
            await stop.CancelAsync();
        }

        ArchiveReport? report = null;
        Exception? inspectionFault = null;
        try
        {
            report = await inspection;
        }
        catch (Exception ex)
        {
            inspectionFault = ex;
        }

        // Which failure to report, most telling first: the caller cancelled; the body broke (maybe transient, so it keeps its
        // type); the inspector refused the content; then storage.
        cancellationToken.ThrowIfCancellationRequested();
        if (bodyFault is not null && bodyFault.SourceException is not OperationCanceledException)
        {
            bodyFault.Throw();
        }

        // The inspector reads what the pump writes: a pump failure reaches it through the pipe as the very same exception.
        if (inspectionFault is not null && inspectionFault is not OperationCanceledException && !ReferenceEquals(inspectionFault, pumpFault))
        {
            ExceptionDispatchInfo.Throw(inspectionFault);
        }

        if (pumpFault is not null && pumpFault is not OperationCanceledException)
        {
            throw pumpFault is RequestFailedException storageFault ? StorageFailure(storageFault) : pumpFault;
        }

        try
        {
            await stagingBlob.WaitForUploadsAsync();
        }
        catch (RequestFailedException ex)
        {
            throw StorageFailure(ex);
        }

        return (report ?? throw new InvalidOperationException("The inspector neither reported nor failed."), size);
    }

    /// <summary>
    /// Copies <paramref name="size"/> bytes from <paramref name="source"/> into uncommitted blocks of <paramref name="target"/>,
    /// then commits them with the final headers in one request that fails if the blob already exists.
    /// Returns false when someone else committed it first (same content: the path holds its sha256).
    /// </summary>
    private static async Task<bool> CommitCopyAsync(
        Uri source, long size, BlockBlobClient target, BlobHttpHeaders headers, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var blockIds = new List<string>();
        for (long offset = 0; offset < size; offset += CopyRangeSize)
        {
            var blockId = StagingBlob.BlockId("copy", blockIds.Count);
            await target.StageBlockFromUriAsync(
                source,
                blockId,
                new StageBlockFromUriOptions { SourceRange = new HttpRange(offset, Math.Min(CopyRangeSize, size - offset)) },
                cancellationToken);
            blockIds.Add(blockId);
        }

        try
        {
            await target.CommitBlockListAsync(blockIds, new CommitBlockListOptions
            {
                HttpHeaders = headers,
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}
