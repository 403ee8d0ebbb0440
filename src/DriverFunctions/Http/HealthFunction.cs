using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace DriverFunctions.Http;

/// <summary>
/// Anonymous liveness and readiness probe: 200 when every registered health check passes (the drivers table is
/// reachable), 503 problem otherwise. Failure details go to the logs, not to anonymous callers.
/// </summary>
public sealed class HealthFunction(HealthCheckService health, ILogger<HealthFunction> logger)
{
    [Function("Health")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request) =>
        ApiCall.RunAsync(request, logger, async ct =>
        {
            var report = await health.CheckHealthAsync(ct);
            var checks = new JsonObject();
            foreach (var (name, entry) in report.Entries)
            {
                checks[name] = new JsonObject
                {
                    ["status"] = Word(entry.Status),
                    ["description"] = entry.Status == HealthStatus.Healthy ? entry.Description : "Failing; the function's logs have the details.",
                };
                if (entry.Status != HealthStatus.Healthy)
                {
                    logger.LogWarning(entry.Exception, "Health check {HealthCheck} is {HealthStatus}: {Description}", name, entry.Status, entry.Description);
                }
            }

            if (report.Status == HealthStatus.Healthy)
            {
                return new JsonResponse(StatusCodes.Status200OK, new JsonObject { ["status"] = Word(report.Status), ["checks"] = checks });
            }

            var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key);
            return ProblemResults.Problem(
                request,
                StatusCodes.Status503ServiceUnavailable,
                "Service unavailable.",
                $"Failing health checks: {string.Join(", ", failing)}.",
                new JsonObject { ["checks"] = checks });
        });

    private static string Word(HealthStatus status) => status.ToString().ToLowerInvariant();
}
