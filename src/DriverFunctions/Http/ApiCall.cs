using DriverMirror.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace DriverFunctions.Http;

/// <summary>
/// Runs the body of an HTTP function and turns failures into problem responses: expected ones (validation, not found,
/// stale ETag, ...) into their 4xx, a storage outage into a 503, anything else into a logged 500 that reveals nothing.
/// </summary>
public static class ApiCall
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, ILogger logger, Func<CancellationToken, Task<IActionResult>> call)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception e) when (ProblemResults.TryFromException(e, request) is { } problem)
        {
            logger.LogInformation("{Method} {Path} refused with {Status}: {Reason}", request.Method, request.Path.Value, problem.StatusCode, e.Message);
            return problem;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && StorageFailure.IsUnavailable(e))
        {
            logger.LogWarning(e, "{Method} {Path} failed: storage unavailable", request.Method, request.Path.Value);
            return ProblemResults.StorageUnavailable(request);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            logger.LogError(e, "{Method} {Path} failed unexpectedly", request.Method, request.Path.Value);
            return ProblemResults.Unexpected(request);
        }
    }
}
