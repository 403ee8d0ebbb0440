using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DriverFunctions.Http;

/// <summary>Successful driver responses: one record with its ETag, or a list.</summary>
public static class DriverResults
{
    /// <summary>The record in the API's JSON shape with its storage ETag in the <c>ETag</c> header (send it back as If-Match).</summary>
    public static JsonResponse Record(DriverRecord record, int status = StatusCodes.Status200OK) =>
        new JsonResponse(status, DriverJson.ToJson(record)).WithHeader(HeaderNames.ETag, record.ETag);

    /// <summary>201 with <c>Location</c> for a created record, 200 for a replaced one.</summary>
    public static JsonResponse Stored(DriverRecord record, bool created) => created
        ? Record(record, StatusCodes.Status201Created).WithHeader(HeaderNames.Location, ApiRoutes.DriverPath(record.Name))
        : Record(record);

    /// <summary><c>{ "drivers": [ record... ] }</c>.</summary>
    public static JsonResponse List(IEnumerable<DriverRecord> records) =>
        new(StatusCodes.Status200OK, new JsonObject { ["drivers"] = new JsonArray([.. records.Select(r => (JsonNode)DriverJson.ToJson(r))]) });

    /// <summary>204 after a delete.</summary>
    public static JsonResponse Deleted() => new(StatusCodes.Status204NoContent);
}
