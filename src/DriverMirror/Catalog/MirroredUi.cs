namespace DriverMirror.Catalog;

/// <summary>
/// A driver's custom UI component (Rancher's "Custom UI URL": a <c>component.js</c>, and the <c>component.css</c> beside it
/// when the upstream has one) as published in the web root, so that browsers without internet access can load it.
/// </summary>
public sealed record MirroredUi
{
    /// <summary>Path of the script inside the web-root container: <c>name/ui/bundle/file</c>.</summary>
    public required string BlobPath { get; init; }

    /// <summary>The URL to give Rancher as the driver's UI URL.</summary>
    public required string PublicUrl { get; init; }

    /// <summary>The upstream file name of the script.</summary>
    public required string FileName { get; init; }

    /// <summary>Size of the script in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Lower-case hex SHA-256 of the script.</summary>
    public required string Sha256 { get; init; }

    /// <summary>
    /// The stylesheet's URL, beside the script with <c>.css</c> for <c>.js</c> (where Rancher's UI looks for it), or
    /// <see langword="null"/> when the upstream has none.
    /// </summary>
    public string? StylesheetUrl { get; init; }

    /// <summary>Lower-case hex SHA-256 of the stylesheet, when there is one.</summary>
    public string? StylesheetSha256 { get; init; }

    /// <summary>The upstream URL of the script.</summary>
    public required string UpstreamUrl { get; init; }

    /// <summary>The upstream ETag of the script, for conditional requests.</summary>
    public string? UpstreamEtag { get; init; }

    /// <summary>The upstream Last-Modified of the script, for conditional requests.</summary>
    public DateTimeOffset? UpstreamLastModified { get; init; }

    /// <summary>When the files were fetched.</summary>
    public required DateTimeOffset FetchedAt { get; init; }
}
