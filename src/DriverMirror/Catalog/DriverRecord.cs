namespace DriverMirror.Catalog;

/// <summary>A stored driver: the operator's spec, its bookkeeping and the mirror's status.</summary>
public sealed record DriverRecord
{
    /// <summary>What the operator declared.</summary>
    public required DriverSpec Spec { get; init; }

    /// <summary>Incremented on every spec change.</summary>
    public long Generation { get; init; } = 1;

    /// <summary>When the record was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the spec last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What the mirror observed.</summary>
    public DriverStatus Status { get; init; } = new();

    /// <summary>The storage ETag, for optimistic concurrency (HTTP If-Match).</summary>
    public string ETag { get; init; } = "";

    /// <summary>Shortcut for <c>Spec.Name</c>.</summary>
    public string Name => Spec.Name;
}
