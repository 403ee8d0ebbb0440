namespace DriverMirror.Catalog;

/// <summary>Filters for listing drivers; a <see langword="null"/> filter matches everything.</summary>
public sealed record DriverQuery
{
    /// <summary>Only drivers of this kind.</summary>
    public DriverKind? Kind { get; init; }

    /// <summary>Only active (true) or inactive (false) drivers.</summary>
    public bool? Active { get; init; }

    /// <summary>Only drivers in this sync state.</summary>
    public DriverState? State { get; init; }

    /// <summary>Matches everything.</summary>
    public static DriverQuery All { get; } = new();
}
