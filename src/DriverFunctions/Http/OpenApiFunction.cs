using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DriverFunctions.Http;

/// <summary>Serves the OpenAPI document of the API.</summary>
public sealed class OpenApiFunction
{
    [Function("OpenApi")]
    public IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.OpenApi)] HttpRequest request) =>
        new JsonResponse(StatusCodes.Status200OK, OpenApiDocument.Build());
}
