namespace DriverMirror.Mirroring;

/// <summary>Limits and expectations for <see cref="ArchiveInspector"/>.</summary>
public sealed record ArchiveRules
{
    /// <summary>Accept a built-in bundle whose ELF is <c>docker-machine</c> or <c>rancher-machine</c> instead of <c>docker-machine-driver-*</c>.</summary>
    public bool AllowBundle { get; init; }

    /// <summary>Most entries an archive may hold.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Most bytes an archive may expand to (decompression bombs).</summary>
    public long MaxExpandedBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>
    /// The binary to report when an archive holds several drivers (a bundle), e.g. <c>docker-machine-driver-amazonec2</c>;
    /// when absent or not found, the first ELF <c>docker-machine-driver-*</c> entry is reported.
    /// </summary>
    public string? PreferredBinary { get; init; }
}
