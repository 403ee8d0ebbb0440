using DriverMirror.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DriverFunctions.Http;

/// <summary>Switches a driver on or off (and with it, whether the mirror syncs it). If-Match honoured.</summary>
public sealed class DriverActivationFunctions(DriverCatalog catalog, ILogger<DriverActivationFunctions> logger)
{
    [Function("ActivateDriver")]
    public Task<IActionResult> Activate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ActivateDriver)] HttpRequest request, string name) =>
        SetActive(request, name, active: true);

    [Function("DeactivateDriver")]
    public Task<IActionResult> Deactivate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.DeactivateDriver)] HttpRequest request, string name) =>
        SetActive(request, name, active: false);

    private Task<IActionResult> SetActive(HttpRequest request, string name, bool active) =>
        ApiCall.RunAsync(request, logger, async ct =>
            DriverResults.Record(await catalog.SetActiveAsync(RequestInput.DriverName(name), active, RequestInput.IfMatch(request), ct)));
}
