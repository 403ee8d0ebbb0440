namespace DriverMirror.WebRoot;

/// <summary>
/// The machine-readable listing at <c>index.json</c> in the web-root container (schema version 1). Stable: fields are only
/// ever added.
/// </summary>
public sealed record WebRootIndex
{
    /// <summary>The schema version; 1 for this shape.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>When the index was written.</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Every driver in the catalog, in name order.</summary>
    public required IReadOnlyList<WebRootDriver> Drivers { get; init; }
}

/// <summary>One driver in <see cref="WebRootIndex"/>.</summary>
public sealed record WebRootDriver
{
    /// <summary>Rancher's driver name.</summary>
    public required string Name { get; init; }

    /// <summary><c>node</c> or <c>cluster</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Whether Rancher ships the driver itself.</summary>
    public required bool Builtin { get; init; }

    /// <summary>Whether the driver is active (and so mirrored).</summary>
    public required bool Active { get; init; }

    /// <summary>The mirror state: pending, syncing, ready, failed or disabled.</summary>
    public required string State { get; init; }

    /// <summary>Why the state is what it is.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// The upstream URL of the default platform (<c>local://</c> for compiled-in drivers), without user-info, query or
    /// fragment.
    /// </summary>
    public string? UpstreamUrl { get; init; }

    /// <summary>When the driver last synced successfully.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Whether an upstream URL started serving different bytes than before.</summary>
    public bool UpstreamChanged { get; init; }

    /// <summary>Published artifacts, one per platform.</summary>
    public required IReadOnlyList<WebRootArtifact> Artifacts { get; init; }

    /// <summary>The published custom UI component (Rancher's UI URL), when the driver has one; omitted otherwise.</summary>
    public WebRootUi? Ui { get; init; }
}

/// <summary>A published custom UI component in <see cref="WebRootIndex"/>.</summary>
public sealed record WebRootUi
{
    /// <summary>The public URL of the script: the UI URL to give Rancher.</summary>
    public required string Url { get; init; }

    /// <summary>The upstream file name of the script.</summary>
    public required string FileName { get; init; }

    /// <summary>The stylesheet beside the script, when the upstream has one.</summary>
    public string? StylesheetUrl { get; init; }

    /// <summary>Lower-case hex SHA-256 of the script.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Size of the script in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Where the script came from, without user-info, query or fragment.</summary>
    public required string UpstreamUrl { get; init; }

    /// <summary>When it was fetched.</summary>
    public required DateTimeOffset FetchedAt { get; init; }
}

/// <summary>One published artifact in <see cref="WebRootIndex"/>.</summary>
public sealed record WebRootArtifact
{
    /// <summary>The platform, for example <c>linux-amd64</c>.</summary>
    public required string Arch { get; init; }

    /// <summary>The public URL to give Rancher.</summary>
    public required string Url { get; init; }

    /// <summary>The upstream file name.</summary>
    public required string FileName { get; init; }

    /// <summary>The checksum to give Rancher (lower-case hex SHA-256).</summary>
    public required string Sha256 { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary><c>tar.gz</c>, <c>zip</c> or <c>elf</c>.</summary>
    public required string Format { get; init; }

    /// <summary>Where the bytes came from, without user-info, query or fragment.</summary>
    public required string UpstreamUrl { get; init; }

    /// <summary>When they were fetched.</summary>
    public required DateTimeOffset FetchedAt { get; init; }
}
