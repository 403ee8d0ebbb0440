using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using Microsoft.AspNetCore.Http;

namespace DriverFunctions.Http;

/// <summary>
/// RFC 9457 problem details (<c>application/problem+json</c>): <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
/// <c>instance</c>, plus an <c>errors</c> map (field → messages) for validation failures. Every error the API returns is one.
/// </summary>
public static class ProblemResults
{
    /// <summary>Maps the catalog's expected failures and the API's own refusals to their status codes.</summary>
    public static JsonResponse? TryFromException(Exception exception, HttpRequest request) => exception switch
    {
        DriverValidationException e => Validation(request, e.Errors),
        DriverNotFoundException e => Problem(request, StatusCodes.Status404NotFound, "Driver not found.", e.Message),
        DriverConflictException e => Problem(request, StatusCodes.Status409Conflict, "Driver already exists.", e.Message),
        DriverPreconditionFailedException e => Problem(request, StatusCodes.Status412PreconditionFailed, "Precondition failed.", e.Message),
        HttpProblemException e => Problem(request, e.StatusCode, e.Title, e.Message),
        _ => null,
    };

    /// <summary>400 with the field-level messages in <c>errors</c>.</summary>
    public static JsonResponse Validation(HttpRequest request, IReadOnlyDictionary<string, string[]> errors)
    {
        var map = new JsonObject();
        foreach (var (field, messages) in errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            map[field] = new JsonArray(messages.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
        }

        var detail = string.Join(" ", errors.OrderBy(e => e.Key, StringComparer.Ordinal).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
        return Problem(request, StatusCodes.Status400BadRequest, "One or more fields are invalid.", detail, new JsonObject { ["errors"] = map });
    }

    /// <summary>503 when storage could not be reached or could not serve; a client may retry. The endpoint stays in the logs.</summary>
    public static JsonResponse StorageUnavailable(HttpRequest request) => Problem(
        request, StatusCodes.Status503ServiceUnavailable, "Storage unavailable.", "Driver storage could not be reached. Try again later.");

    /// <summary>500 for a failure the API did not expect; the detail stays in the logs, not in the response.</summary>
    public static JsonResponse Unexpected(HttpRequest request) => Problem(
        request, StatusCodes.Status500InternalServerError, "Unexpected error.", "The request failed unexpectedly; the function's logs have the details.");

    /// <summary>A problem with the given status; <paramref name="extensions"/> adds members such as <c>errors</c>.</summary>
    public static JsonResponse Problem(HttpRequest request, int status, string title, string detail, JsonObject? extensions = null)
    {
        var problem = new JsonObject
        {
            ["type"] = TypeOf(status),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = $"{request.PathBase}{request.Path}",
        };
        foreach (var (name, value) in extensions ?? [])
        {
            problem[name] = value?.DeepClone();
        }

        return new JsonResponse(status, problem, JsonResponse.ProblemJson);
    }

    /// <summary>The problem type: the RFC 9110 section of the status code, as ASP.NET Core's own problem details do.</summary>
    public static string TypeOf(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        412 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
