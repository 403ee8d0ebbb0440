using DriverMirror.Catalog;
using DriverMirror.Rancher;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace DriverFunctions.Http;

/// <summary>
/// Rancher NodeDriver / KontainerDriver objects pointing at the mirror, for <c>kubectl apply</c>: YAML by default, a
/// Kubernetes <c>List</c> in JSON when the client accepts only JSON. <c>?platform=linux-arm64</c> picks arm64 artifacts.
/// </summary>
public sealed class RancherManifestFunctions(DriverCatalog catalog, ILogger<RancherManifestFunctions> logger)
{
    [Function("RancherNodeDrivers")]
    public Task<IActionResult> NodeDrivers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.RancherNodeDrivers)] HttpRequest request) =>
        Manifest(request, DriverKind.Node);

    [Function("RancherKontainerDrivers")]
    public Task<IActionResult> KontainerDrivers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.RancherKontainerDrivers)] HttpRequest request) =>
        Manifest(request, DriverKind.Cluster);

    private Task<IActionResult> Manifest(HttpRequest request, DriverKind kind) =>
        ApiCall.RunAsync(request, logger, async ct =>
        {
            var platform = request.Query["platform"].ToString() is { Length: > 0 } given ? given : DriverSpec.DefaultPlatform;
            if (!DriverSpecValidator.IsPlatform(platform))
            {
                throw DriverValidationException.For("platform", $"must match {DriverSpecValidator.PlatformPattern}.");
            }

            var records = await catalog.ListAsync(new DriverQuery { Kind = kind }, ct).ToListAsync(ct);
            var manifest = RancherManifest.Build(records, kind, platform);
            if (!WantsJson(request))
            {
                return new TextResponse(RancherManifest.ToYaml(manifest), "application/yaml; charset=utf-8");
            }

            return new JsonResponse(StatusCodes.Status200OK, RancherManifest.ToJson(manifest));
        });

    private static bool WantsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        && !accepted.Any(a => a.MediaType.Value?.Contains("yaml", StringComparison.OrdinalIgnoreCase) == true);
}
