using System.Text.Json;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace DriverFunctions.Http;

/// <summary>
/// A status code, headers and an optional JSON body, written with <see cref="DriverJson.Options"/>.
/// It writes the response itself instead of going through MVC's formatters: the isolated worker's ASP.NET Core
/// integration executes any <see cref="IActionResult"/> but registers no MVC services, and content negotiation
/// must never turn a problem+json body into something else.
/// </summary>
public sealed class JsonResponse(int statusCode, JsonNode? body = null, string contentType = JsonResponse.Json) : IActionResult
{
    public const string Json = "application/json; charset=utf-8";
    public const string ProblemJson = "application/problem+json; charset=utf-8";

    public int StatusCode { get; } = statusCode;

    public JsonNode? Body { get; } = body;

    public string ContentType { get; } = contentType;

    /// <summary>Extra response headers (ETag, Location).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        if (Body is null)
        {
            return;
        }

        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, Body, DriverJson.Options, context.HttpContext.RequestAborted);
    }
}
