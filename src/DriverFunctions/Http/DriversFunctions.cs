using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DriverFunctions.Http;

/// <summary>The driver records: list, read, create or replace, merge-patch, delete. Writes honour If-Match.</summary>
public sealed class DriversFunctions(DriverCatalog catalog, ILogger<DriversFunctions> logger)
{
    private static readonly string[] JsonMediaTypes = ["application/json"];
    private static readonly string[] MergePatchMediaTypes = ["application/merge-patch+json", "application/json"];

    [Function("ListDrivers")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Drivers)] HttpRequest request) =>
        ApiCall.RunAsync(request, logger, async ct =>
            DriverResults.List(await catalog.ListAsync(RequestInput.DriverQuery(request), ct).ToListAsync(ct)));

    [Function("GetDriver")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Driver)] HttpRequest request, string name) =>
        ApiCall.RunAsync(request, logger, async ct =>
            DriverResults.Record(await catalog.GetAsync(RequestInput.DriverName(name), ct)));

    /// <summary>Creates (201) or replaces (200) the spec. The body's <c>name</c> may be left out; if given it must equal the route's.</summary>
    [Function("PutDriver")]
    public Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.Driver)] HttpRequest request, string name) =>
        ApiCall.RunAsync(request, logger, async ct =>
        {
            RequestInput.DriverName(name);
            var body = await RequestInput.JsonBodyAsync(request, RequestInput.MaxSpecBytes, JsonMediaTypes, ct);
            if (body is JsonObject fields && !fields.ContainsKey("name"))
            {
                fields["name"] = name;
            }

            var spec = DriverJson.ParseSpec(body);
            if (spec.Name != name)
            {
                throw DriverValidationException.For("name", $"must equal the name in the URL ('{name}') or be left out.");
            }

            var (record, created) = await catalog.PutAsync(spec, RequestInput.IfMatch(request), ct);
            return DriverResults.Stored(record, created);
        });

    /// <summary>Applies an RFC 7396 JSON merge patch to the spec; <c>null</c> removes a field.</summary>
    [Function("PatchDriver")]
    public Task<IActionResult> Patch(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = ApiRoutes.Driver)] HttpRequest request, string name) =>
        ApiCall.RunAsync(request, logger, async ct =>
        {
            RequestInput.DriverName(name);
            var patch = await RequestInput.JsonBodyAsync(request, RequestInput.MaxSpecBytes, MergePatchMediaTypes, ct);
            return DriverResults.Record(await catalog.PatchAsync(name, patch, RequestInput.IfMatch(request), ct));
        });

    /// <summary>Deletes the record; its published artifacts stay in the web root.</summary>
    [Function("DeleteDriver")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.Driver)] HttpRequest request, string name) =>
        ApiCall.RunAsync(request, logger, async ct =>
        {
            await catalog.DeleteAsync(RequestInput.DriverName(name), RequestInput.IfMatch(request), ct);
            return DriverResults.Deleted();
        });
}
