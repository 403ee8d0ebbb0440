namespace DriverMirror.Catalog;

/// <summary>One platform's verified archive as published in the web root.</summary>
public sealed record MirroredArtifact
{
    /// <summary>Path of the immutable blob inside the web-root container: <c>name/sha256/file</c>.</summary>
    public required string BlobPath { get; init; }

    /// <summary>The URL Rancher downloads from.</summary>
    public required string PublicUrl { get; init; }

    /// <summary>The upstream file name, kept so <c>ls docker-machine-driver-*</c> finds it.</summary>
    public required string FileName { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Lower-case hex SHA-256 of the published bytes: the checksum to give Rancher.</summary>
    public required string Sha256 { get; init; }

    /// <summary><c>tar.gz</c>, <c>zip</c> or <c>elf</c>.</summary>
    public required string Format { get; init; }

    /// <summary>The entry that holds the driver binary (the file name itself for a bare binary).</summary>
    public required string DriverBinary { get; init; }

    /// <summary>The upstream URL the bytes came from.</summary>
    public required string UpstreamUrl { get; init; }

    /// <summary>The upstream ETag, for conditional requests.</summary>
    public string? UpstreamEtag { get; init; }

    /// <summary>The upstream Last-Modified, for conditional requests.</summary>
    public DateTimeOffset? UpstreamLastModified { get; init; }

    /// <summary>When the bytes were fetched.</summary>
    public required DateTimeOffset FetchedAt { get; init; }
}
