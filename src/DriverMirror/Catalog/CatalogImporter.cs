using Microsoft.Extensions.Logging;

namespace DriverMirror.Catalog;

/// <summary>What an import did, driver by driver.</summary>
public sealed record ImportReport
{
    /// <summary>Drivers that did not exist and were created.</summary>
    public List<string> Created { get; } = [];

    /// <summary>Drivers whose stored spec already equals the catalog's.</summary>
    public List<string> Unchanged { get; } = [];

    /// <summary>Drivers an operator edited; kept as they are because overwrite was not asked for.</summary>
    public List<string> Kept { get; } = [];

    /// <summary>Drivers replaced by the catalog's spec because overwrite was asked for.</summary>
    public List<string> Overwritten { get; } = [];
}

/// <summary>Loads a catalog into the <see cref="DriverCatalog"/>: idempotent, and never over an operator's edits unless asked.</summary>
public sealed class CatalogImporter(DriverCatalog catalog, ILogger<CatalogImporter> logger)
{
    private const int MaxAttempts = 4;

    private enum Outcome
    {
        Created,
        Unchanged,
        Kept,
        Overwritten,
    }

    /// <summary>
    /// Imports every driver of <paramref name="document"/>. Every spec is validated before the first write, so an invalid
    /// document changes nothing. Races are settled per driver: a driver created by someone else meanwhile is treated as
    /// existing (and kept unless <paramref name="overwrite"/>), and a concurrent write such as a sync's status is retried over.
    /// </summary>
    /// <exception cref="DriverValidationException">A driver in the document is invalid (field paths like <c>drivers[3].url</c>) or a name repeats.</exception>
    public async Task<ImportReport> ImportAsync(CatalogDocument document, bool overwrite, CancellationToken cancellationToken = default)
    {
        var specs = ValidateAll(document);
        var report = new ImportReport();
        foreach (var spec in specs)
        {
            var outcome = await ImportOneAsync(spec, overwrite, cancellationToken);
            (outcome switch
            {
                Outcome.Created => report.Created,
                Outcome.Unchanged => report.Unchanged,
                Outcome.Kept => report.Kept,
                _ => report.Overwritten,
            }).Add(spec.Name);
        }

        logger.LogInformation(
            "Imported catalog {Catalog}: {Created} created, {Unchanged} unchanged, {Kept} kept, {Overwritten} overwritten",
            document.Catalog, report.Created.Count, report.Unchanged.Count, report.Kept.Count, report.Overwritten.Count);
        return report;
    }

    private async Task<Outcome> ImportOneAsync(DriverSpec spec, bool overwrite, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = await catalog.FindAsync(spec.Name, cancellationToken);
                if (existing is null)
                {
                    await catalog.CreateAsync(spec, cancellationToken);
                    return Outcome.Created;
                }

                if (SameSpec(existing.Spec, spec))
                {
                    return Outcome.Unchanged;
                }

                if (!overwrite)
                {
                    return Outcome.Kept;
                }

                // Compared and replaced at spec level, not pinned to the ETag read above: a sync's status write in between
                // changes the ETag but not the spec, and UpdateSpecAsync retries over it.
                DriverSpec? replaced = null;
                await catalog.UpdateSpecAsync(spec.Name, ifMatch: null, current =>
                {
                    replaced = current;
                    return spec;
                }, cancellationToken);
                return replaced is not null && SameSpec(replaced, spec) ? Outcome.Unchanged : Outcome.Overwritten;
            }
            catch (DriverConflictException) when (attempt < MaxAttempts)
            {
                // Created by someone else since the read: take the existing-record path.
            }
            catch (DriverNotFoundException) when (attempt < MaxAttempts)
            {
                // Deleted by someone else since the read: create it.
            }
        }
    }

    private static List<DriverSpec> ValidateAll(CatalogDocument document)
    {
        var specs = document.Drivers.Select(DriverCatalog.Normalize).ToList();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < specs.Count; i++)
        {
            foreach (var (field, messages) in DriverSpecValidator.Validate(specs[i]))
            {
                errors[$"drivers[{i}].{field}"] = messages;
            }
        }

        var duplicates = specs.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            errors["drivers"] = [$"names appear more than once: {string.Join(", ", duplicates)}."];
        }

        return errors.Count == 0 ? specs : throw new DriverValidationException(errors);
    }

    // Both sides are in stored form: ValidateAll normalized the imported specs.
    private static bool SameSpec(DriverSpec stored, DriverSpec imported) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(DriverJson.SpecToJson(stored), DriverJson.SpecToJson(imported));
}
