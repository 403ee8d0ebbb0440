namespace DriverMirror.Catalog;

/// <summary>What the mirror observed for a driver. Only the sync writes it, and never over a newer spec.</summary>
public sealed record DriverStatus
{
    /// <summary>The spec generation the status describes.</summary>
    public long ObservedGeneration { get; init; }

    /// <summary>The sync state.</summary>
    public DriverState State { get; init; } = DriverState.Pending;

    /// <summary>Why the state is what it is, in words.</summary>
    public string? Message { get; init; }

    /// <summary>Published artifacts keyed by platform (<c>linux-amd64</c>, <c>linux-arm64</c>).</summary>
    public IReadOnlyDictionary<string, MirroredArtifact> Artifacts { get; init; } = new Dictionary<string, MirroredArtifact>();

    /// <summary>The published custom UI component, when the spec has a <c>uiUrl</c> and it was mirrored.</summary>
    public MirroredUi? Ui { get; init; }

    /// <summary>When a sync last started.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>When a sync last succeeded.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Failed syncs since the last success.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Set when an upstream URL started serving different bytes than it did before: a supply-chain signal.</summary>
    public bool UpstreamChanged { get; init; }
}
