using System.Text.Json.Nodes;

namespace DriverMirror.Catalog;

/// <summary>A catalog file: a named list of driver specs (the built-in <c>rancher-1.6</c> and <c>rancher-2</c>, or an operator's own JSON file).</summary>
public sealed record CatalogDocument
{
    /// <summary>The catalog's name.</summary>
    public string Catalog { get; init; } = "";

    /// <summary>What the catalog holds.</summary>
    public string? Description { get; init; }

    /// <summary>The drivers, as specs.</summary>
    public IReadOnlyList<DriverSpec> Drivers { get; init; } = [];

    /// <summary>Names of the catalogs embedded in the library.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["rancher-1.6", "rancher-2"];

    /// <summary>Loads an embedded catalog by name.</summary>
    /// <exception cref="DriverValidationException">No embedded catalog has that name.</exception>
    public static CatalogDocument LoadBuiltIn(string name)
    {
        if (!BuiltInNames.Contains(name))
        {
            throw DriverValidationException.For("name", $"unknown catalog '{name}'; known: {string.Join(", ", BuiltInNames)}.");
        }

        using var stream = typeof(CatalogDocument).Assembly.GetManifestResourceStream($"DriverMirror.Catalogs.{name}.json")
            ?? throw new InvalidOperationException($"Embedded catalog {name} is missing from the build.");
        return Parse(stream);
    }

    /// <summary>Reads a catalog document; every driver in it is validated, with field paths like <c>drivers[3].url</c>.</summary>
    /// <exception cref="DriverValidationException">The document is not a valid catalog.</exception>
    public static CatalogDocument Parse(Stream json)
    {
        var root = DriverJson.ParseInput(json);
        if (root is not JsonObject document || document["drivers"] is not JsonArray drivers)
        {
            throw DriverValidationException.For("drivers", "a catalog is a JSON object with a 'drivers' array.");
        }

        var specs = new List<DriverSpec>();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < drivers.Count; i++)
        {
            try
            {
                var spec = DriverJson.ParseSpec(drivers[i]);
                // The catalog's own check, on the spec as it would be stored: an import writes nothing unless every driver passes.
                foreach (var (field, messages) in DriverSpecValidator.Validate(DriverCatalog.Normalize(spec)))
                {
                    errors[$"drivers[{i}].{field}"] = messages;
                }

                specs.Add(spec);
            }
            catch (DriverValidationException e)
            {
                foreach (var (field, messages) in e.Errors)
                {
                    errors[$"drivers[{i}].{field}"] = messages;
                }
            }
        }

        var duplicates = specs.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            errors["drivers"] = [$"names appear more than once: {string.Join(", ", duplicates)}."];
        }

        var catalogName = OptionalString(document, "catalog", errors);
        var description = OptionalString(document, "description", errors);
        if (errors.Count > 0)
        {
            throw new DriverValidationException(errors);
        }

        return new CatalogDocument
        {
            Catalog = catalogName ?? "",
            Description = description,
            Drivers = specs,
        };
    }

    private static string? OptionalString(JsonObject document, string member, Dictionary<string, string[]> errors)
    {
        var node = document[member];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        errors[member] = ["must be a string."];
        return null;
    }
}
