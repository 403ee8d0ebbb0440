using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace DriverFunctions.Http;

/// <summary>A 200 with a text body of the given media type (YAML manifests).</summary>
public sealed class TextResponse(string body, string contentType) : IActionResult
{
    public string Body { get; } = body;

    public string ContentType { get; } = contentType;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = ContentType;
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Body), context.HttpContext.RequestAborted);
    }
}
