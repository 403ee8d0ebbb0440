namespace DriverMirror.Mirroring;

/// <summary>
/// Publishes verified archives into the public web-root container. One streaming pass hashes (SHA-256, MD5, and the pinned
/// algorithm), feeds the <see cref="ArchiveInspector"/> and stages blocks; the blob is committed only after every check passed.
/// </summary>
public sealed class ArtifactPublisher
{
    /// <summary>Creates the container if needed: anonymous read of blobs, no anonymous listing.</summary>
    public Task EnsureContainerAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Streams <paramref name="body"/> into the web root, verifying as it goes.</summary>
    /// <exception cref="MirrorException">Permanent when the content is refused or the checksum differs; nothing is committed then.</exception>
    public Task<PublishedArtifact> PublishAsync(PublishRequest request, Stream body, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Publishes an already committed artifact under another driver's name by server-side copy (shared upstream URLs).</summary>
    public Task<PublishedArtifact> CopyAsync(PublishedArtifact source, string driverName, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>The public URL of a blob path (honours <see cref="MirrorOptions.PublicBaseUrl"/>).</summary>
    public Uri PublicUrlFor(string blobPath) => throw new NotImplementedException();
}
