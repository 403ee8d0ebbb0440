using System.CommandLine;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Commands;

/// <summary><c>catalog import &lt;rancher-1.6|rancher-2|FILE.json&gt; [--overwrite]</c></summary>
internal static class CatalogImportCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var source = new Argument<string>("catalog")
        {
            Description = $"A built-in catalog ({string.Join(", ", CatalogDocument.BuiltInNames)}) or the path of a catalog JSON file.",
        };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace drivers an operator has edited with the catalog's spec." };
        var command = new Command("import", "Load a catalog's drivers. Importing twice changes nothing; edited drivers are kept unless --overwrite.")
        {
            source,
            overwrite,
        };

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var document = Load(parseResult.GetRequiredValue(source));
            var report = await context.Get<CatalogImporter>().ImportAsync(document, parseResult.GetValue(overwrite), cancellationToken);

            await context.Out.WriteLineAsync(
                $"catalog {document.Catalog}: {report.Created.Count} created, {report.Unchanged.Count} unchanged, " +
                $"{report.Kept.Count} kept, {report.Overwritten.Count} overwritten.");
            if (report.Kept.Count > 0)
            {
                await context.Out.WriteLineAsync($"kept as edited (--overwrite replaces them): {string.Join(", ", report.Kept)}");
            }

            if (report.Overwritten.Count > 0)
            {
                await context.Out.WriteLineAsync($"overwritten: {string.Join(", ", report.Overwritten)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A built-in catalog by name, else a file; a name that is neither is invalid input, not "not found".</summary>
    private static CatalogDocument Load(string source)
    {
        if (CatalogDocument.BuiltInNames.Contains(source))
        {
            return CatalogDocument.LoadBuiltIn(source);
        }

        if (!File.Exists(source))
        {
            var looksLikePath = source.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                || source.Contains('/', StringComparison.Ordinal)
                || source.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal);
            return looksLikePath
                ? throw CliException.InvalidInput($"catalog: cannot read '{source}': no such file.")
                : CatalogDocument.LoadBuiltIn(source);
        }

        try
        {
            using var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);
            var document = CatalogDocument.Parse(stream);
            return document.Catalog.Length > 0 ? document : document with { Catalog = Path.GetFileName(source) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.InvalidInput($"catalog: cannot read '{source}': {e.Message}", e);
        }
    }
}
