namespace DriverMirror.Catalog;

/// <summary>Where one platform's (for example <c>linux-arm64</c>) driver archive comes from.</summary>
public sealed record PlatformSource
{
    /// <summary>The upstream http/https URL of the archive.</summary>
    public string? Url { get; init; }

    /// <summary>Optional pinned hex digest (md5, sha1, sha256 or sha512, chosen by length).</summary>
    public string? Checksum { get; init; }
}
