using System.Text.Json;
using DriverMirror.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DriverFunctions.Http;

/// <summary>
/// Loads a catalog: a built-in one by <c>?name=</c> (<c>rancher-1.6</c>, <c>rancher-2</c>), or a catalog document in the
/// body. Idempotent; an operator's edits are kept unless <c>?overwrite=true</c>.
/// </summary>
public sealed class CatalogImportFunction(CatalogImporter importer, ILogger<CatalogImportFunction> logger)
{
    private static readonly string[] JsonMediaTypes = ["application/json"];

    [Function("ImportCatalog")]
    public Task<IActionResult> Import(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.CatalogImport)] HttpRequest request) =>
        ApiCall.RunAsync(request, logger, async ct =>
        {
            var errors = new Dictionary<string, string[]>();
            var overwrite = RequestInput.Boolean(request, "overwrite", errors) ?? false;
            if (errors.Count > 0)
            {
                throw new DriverValidationException(errors);
            }

            var document = request.Query.TryGetValue("name", out var name)
                ? CatalogDocument.LoadBuiltIn(name.ToString())
                : await ReadDocumentAsync(request, ct);
            var report = await importer.ImportAsync(document, overwrite, ct);

            var json = JsonSerializer.SerializeToNode(report, DriverJson.Options)!.AsObject();
            json.Insert(0, "catalog", document.Catalog);
            return new JsonResponse(StatusCodes.Status200OK, json);
        });

    private static async Task<CatalogDocument> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        RequestInput.RequireMediaType(request, JsonMediaTypes);
        using var body = await RequestInput.BufferAsync(request, RequestInput.MaxCatalogBytes, cancellationToken);
        return body.Length > 0
            ? CatalogDocument.Parse(body)
            : throw DriverValidationException.For("name", $"give ?name={string.Join("|", CatalogDocument.BuiltInNames)} or a catalog document in the body.");
    }
}
