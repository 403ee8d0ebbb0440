using System.Text.Json;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace DriverFunctions.Http;

/// <summary>Queues syncs for the queue function to run; answers 202 with where to watch the result.</summary>
public sealed class SyncFunctions(SyncRequestQueue queue, ILogger<SyncFunctions> logger)
{
    [Function("SyncDriver")]
    public Task<IActionResult> SyncDriver(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SyncDriver)] HttpRequest request, string name) =>
        ApiCall.RunAsync(request, logger, async ct =>
        {
            var queued = await queue.EnqueueAsync(RequestInput.DriverName(name), "api", ct);
            return Accepted([queued], ApiRoutes.DriverPath(queued.Name));
        });

    [Function("SyncAll")]
    public Task<IActionResult> SyncAll(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SyncAll)] HttpRequest request) =>
        ApiCall.RunAsync(request, logger, async ct =>
            Accepted(await queue.EnqueueActiveAsync("api", ct), $"{ApiRoutes.Prefix}/{ApiRoutes.Drivers}"));

    private static JsonResponse Accepted(IReadOnlyList<SyncRequest> queued, string location) =>
        new JsonResponse(StatusCodes.Status202Accepted, new JsonObject
        {
            ["queued"] = JsonSerializer.SerializeToNode(queued, DriverJson.Options),
        }).WithHeader(HeaderNames.Location, location);
}
