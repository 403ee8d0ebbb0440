namespace DriverMirror.Bench;

/// <summary>A generated release archive on disk: a tar.gz holding one incompressible <c>docker-machine-driver-bench</c> ELF.</summary>
/// <param name="Path">Where it is.</param>
/// <param name="Length">Its size in bytes (a little more than the payload: tar headers and gzip framing).</param>
/// <param name="PayloadMiB">The size of the driver binary inside, in MiB.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file, taken as it was written (to check what the scenarios hash).</param>
internal sealed record ArchiveFile(string Path, long Length, int PayloadMiB, string Sha256)
{
    /// <summary>Its size in MiB.</summary>
    public double MiB => Length / Units.MiB;

    /// <summary>Opens it for one upstream response.</summary>
    public Stream Open() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
