namespace DriverMirror.Mirroring;

/// <summary>The artifact formats Rancher installs, as reported in <see cref="ArchiveReport.Format"/>, and how each is served.</summary>
public static class ArchiveFormat
{
    /// <summary>A gzip-compressed tar archive.</summary>
    public const string TarGz = "tar.gz";

    /// <summary>A zip archive.</summary>
    public const string Zip = "zip";

    /// <summary>A bare ELF binary named <c>docker-machine-driver-*</c>.</summary>
    public const string Elf = "elf";

    /// <summary>
    /// The honest Content-Type of a format. Never a type that invites Content-Encoding: Rancher hashes the bytes it downloaded,
    /// and Go's HTTP client would transparently un-gzip a body served with <c>Content-Encoding: gzip</c>.
    /// </summary>
    public static string ContentTypeOf(string format) => format switch
    {
        TarGz => "application/gzip",
        Zip => "application/zip",
        _ => "application/octet-stream",
    };
}
