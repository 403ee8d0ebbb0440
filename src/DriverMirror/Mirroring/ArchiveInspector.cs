namespace DriverMirror.Mirroring;

/// <summary>
/// Reads an archive forward-only (SharpCompress) and checks it is what Rancher can install: gzip tar, zip or bare ELF,
/// holding an ELF <c>docker-machine-driver-*</c>, with no path traversal, bounded entry count and expansion.
/// </summary>
public sealed class ArchiveInspector
{
    /// <summary>Reads <paramref name="archive"/> to its end and reports what it holds.</summary>
    /// <param name="archive">A forward-only stream; not disposed.</param>
    /// <param name="fileName">The upstream file name (a bare binary must be named <c>docker-machine-driver-*</c>).</param>
    /// <param name="rules">Limits and expectations.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="MirrorException">Permanent: the content is refused, with a message that says what was received.</exception>
    public Task<ArchiveReport> InspectAsync(Stream archive, string fileName, ArchiveRules rules, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
