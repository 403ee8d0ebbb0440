using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DriverFunctions.Http;

/// <summary>Reads and checks what a request carries: the route name, If-Match, query filters and JSON bodies.</summary>
public static class RequestInput
{
    /// <summary>Largest driver spec or merge patch accepted.</summary>
    public const int MaxSpecBytes = 64 * 1024;

    /// <summary>Largest catalog document accepted.</summary>
    public const int MaxCatalogBytes = 4 * 1024 * 1024;

    /// <summary>Returns the route's driver name, or throws a validation error for <c>name</c>.</summary>
    public static string DriverName(string name) => DriverMirror.Catalog.DriverName.IsValid(name)
        ? name
        : throw DriverValidationException.For("name", $"must match {DriverMirror.Catalog.DriverName.Pattern} (lower-case letters, digits and dashes, at most 63 characters).");

    /// <summary>
    /// The If-Match header as the catalog takes it: the stored ETag, <c>*</c>, or <see langword="null"/> when absent. An empty
    /// header or more than one is a 400; any other value is compared with the stored ETag by the catalog (a mismatch is a 412).
    /// </summary>
    public static string? IfMatch(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw DriverValidationException.For("If-Match", "give one ETag (as returned in the ETag header) or *.");
        }

        return values[0] is { } value && !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : throw DriverValidationException.For("If-Match", "is empty; give the ETag returned in the ETag header, or *, or leave the header out.");
    }

    /// <summary>The list filters <c>kind</c>, <c>active</c> and <c>state</c>; other query parameters (such as <c>code</c>) are ignored.</summary>
    public static DriverQuery DriverQuery(HttpRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var query = new DriverQuery
        {
            Kind = Enumerated<DriverKind>(request, "kind", errors),
            Active = Boolean(request, "active", errors),
            State = Enumerated<DriverState>(request, "state", errors),
        };
        return errors.Count == 0 ? query : throw new DriverValidationException(errors);
    }

    /// <summary>A <c>true</c>/<c>false</c> query parameter, <see langword="null"/> when absent.</summary>
    public static bool? Boolean(HttpRequest request, string parameter, IDictionary<string, string[]> errors)
    {
        var text = Single(request, parameter, errors);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors[parameter] = ["must be true or false."];
        return null;
    }

    /// <summary>The JSON body, refusing other media types, empty bodies, bodies over <paramref name="maxBytes"/>, malformed JSON, duplicate members and invalid Unicode.</summary>
    public static async Task<JsonNode> JsonBodyAsync(HttpRequest request, int maxBytes, IReadOnlyList<string> mediaTypes, CancellationToken cancellationToken)
    {
        RequireMediaType(request, mediaTypes);
        using var body = await BufferAsync(request, maxBytes, cancellationToken);
        if (body.Length == 0)
        {
            throw DriverValidationException.For("body", "is required.");
        }

        // Duplicate members and text that is not valid Unicode are refused here, not on first access (a 500).
        return DriverJson.ParseInput(body) ?? throw DriverValidationException.For("body", "must be a JSON object, not null.");
    }

    /// <summary>
    /// Copies the body (possibly empty) into memory, at most <paramref name="maxBytes"/>. Reading asynchronously matters: Kestrel, which
    /// serves the worker's requests, refuses synchronous reads, and the catalog parsers read synchronously.
    /// </summary>
    public static async Task<MemoryStream> BufferAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw HttpProblemException.TooLarge(maxBytes);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw HttpProblemException.TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>Refuses a Content-Type outside <paramref name="mediaTypes"/>; a request without one is read as JSON.</summary>
    public static void RequireMediaType(HttpRequest request, IReadOnlyList<string> mediaTypes)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !mediaTypes.Contains(contentType.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            throw HttpProblemException.UnsupportedMediaType(request.ContentType, [.. mediaTypes]);
        }
    }

    private static TEnum? Enumerated<TEnum>(HttpRequest request, string parameter, IDictionary<string, string[]> errors)
        where TEnum : struct, Enum
    {
        var text = Single(request, parameter, errors);
        if (text is null)
        {
            return null;
        }

        // Names only: Enum.TryParse would also take "1".
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        errors[parameter] = [$"must be one of {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}."];
        return null;
    }

    private static string? Single(HttpRequest request, string parameter, IDictionary<string, string[]> errors)
    {
        var values = request.Query[parameter];
        if (values.Count > 1)
        {
            errors[parameter] = ["must be given at most once."];
            return null;
        }

        return values.Count == 1 ? values[0] : null;
    }
}
