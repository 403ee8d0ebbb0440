using Microsoft.AspNetCore.Http;

namespace DriverFunctions.Http;

/// <summary>A request the API refuses for an HTTP reason rather than a catalog one (wrong media type, body too large).</summary>
public sealed class HttpProblemException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    public static HttpProblemException UnsupportedMediaType(string? contentType, params string[] accepted) => new(
        StatusCodes.Status415UnsupportedMediaType,
        "Unsupported media type.",
        $"Content-Type '{contentType}' is not accepted here; send {string.Join(" or ", accepted)}.");

    public static HttpProblemException TooLarge(long limit) => new(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large.",
        $"The body must not exceed {limit} bytes.");
}
