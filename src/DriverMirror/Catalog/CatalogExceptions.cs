namespace DriverMirror.Catalog;

/// <summary>Base of the catalog's expected failures; each maps to one HTTP status and one CLI exit code.</summary>
public abstract class CatalogException(string message) : Exception(message);

/// <summary>No driver has that name.</summary>
public sealed class DriverNotFoundException(string name) : CatalogException($"Driver '{name}' does not exist.")
{
    /// <summary>The name that was looked up.</summary>
    public string Name { get; } = name;
}

/// <summary>A driver with that name already exists.</summary>
public sealed class DriverConflictException(string name) : CatalogException($"Driver '{name}' already exists.")
{
    /// <summary>The name that was taken.</summary>
    public string Name { get; } = name;
}

/// <summary>The caller's ETag is stale: someone else changed the record first.</summary>
public sealed class DriverPreconditionFailedException(string name)
    : CatalogException($"Driver '{name}' was changed by someone else; read it again and retry with its new ETag.")
{
    /// <summary>The record's name.</summary>
    public string Name { get; } = name;
}

/// <summary>The input broke one or more rules; <see cref="Errors"/> says which, field by field.</summary>
public sealed class DriverValidationException(IReadOnlyDictionary<string, string[]> errors)
    : CatalogException(Describe(errors))
{
    /// <summary>Messages keyed by camelCase field path (for example <c>platforms.linux-arm64.url</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>Creates the exception for one field.</summary>
    public static DriverValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}
