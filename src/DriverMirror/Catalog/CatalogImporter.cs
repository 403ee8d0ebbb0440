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
    /// <summary>Imports every driver of <paramref name="document"/>.</summary>
    public async Task<ImportReport> ImportAsync(CatalogDocument document, bool overwrite, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport();
        foreach (var spec in document.Drivers)
        {
            var existing = await catalog.FindAsync(spec.Name, cancellationToken);
            if (existing is null)
            {
                var (_, created) = await catalog.PutAsync(spec, cancellationToken: cancellationToken);
                (created ? report.Created : report.Unchanged).Add(spec.Name);
                continue;
            }

            var stored = await catalog.UpdateSpecAsync(spec.Name, existing.ETag, current => overwrite ? spec : current, cancellationToken);
            if (stored.Generation == existing.Generation)
            {
                (SameSpec(existing.Spec, spec) ? report.Unchanged : report.Kept).Add(spec.Name);
            }
            else
            {
                report.Overwritten.Add(spec.Name);
            }
        }

        logger.LogInformation(
            "Imported catalog {Catalog}: {Created} created, {Unchanged} unchanged, {Kept} kept, {Overwritten} overwritten",
            document.Catalog, report.Created.Count, report.Unchanged.Count, report.Kept.Count, report.Overwritten.Count);
        return report;
    }

    private static bool SameSpec(DriverSpec stored, DriverSpec imported) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(DriverJson.SpecToJson(stored), DriverJson.SpecToJson(DriverCatalog.Normalize(imported)));
}
