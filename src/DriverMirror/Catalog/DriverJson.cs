using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DriverMirror.Catalog;

/// <summary>The one JSON shape of drivers shared by the HTTP API, the CLI and storage: camelCase, enums as lower-case words.</summary>
public static class DriverJson
{
    /// <summary>Serializer options for everything DriverFunctions writes or reads as JSON.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions(JsonUnmappedMemberHandling.Skip);

    /// <summary>Options that refuse unknown members, for operator input where a typo must not pass silently.</summary>
    public static JsonSerializerOptions StrictOptions { get; } = CreateOptions(JsonUnmappedMemberHandling.Disallow);

    /// <summary>
    /// How operator JSON (request bodies, catalog files) is read: a member given twice is refused while parsing rather than
    /// "last one wins" (or, for <see cref="JsonNode"/>, an <see cref="ArgumentException"/> on first access).
    /// </summary>
    public static JsonDocumentOptions InputDocumentOptions { get; } = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Parses operator input: malformed JSON, a member given twice, and strings that are not valid Unicode (invalid UTF-8,
    /// a lone UTF-16 surrogate escape such as <c>"\ud800"</c>) all become a validation error; <see langword="null"/> for a JSON <c>null</c>.
    /// </summary>
    /// <exception cref="DriverValidationException">The input is not well-formed JSON text.</exception>
    public static JsonNode? ParseInput(Stream json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: InputDocumentOptions);
        }
        catch (JsonException e)
        {
            throw DriverValidationException.For("body", $"is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // A member name that is not valid Unicode fails while the object is built.
            throw DriverValidationException.For("body", $"is not valid JSON: {InvalidTextMessage}");
        }

        RequireWellFormed(root);
        return root;
    }

    private const string InvalidTextMessage = "holds text that is not valid Unicode (invalid UTF-8 or a lone UTF-16 surrogate).";

    /// <summary>
    /// Reads every member name and string of <paramref name="node"/> once, so a problem that <see cref="JsonNode"/> defers to
    /// first access (duplicate members of a leniently parsed object, invalid UTF-16 in a string) surfaces as a validation error
    /// for the field it is in, instead of an unexpected exception later.
    /// </summary>
    private static void RequireWellFormed(JsonNode? node)
    {
        try
        {
            if (FindInvalidText(node, "") is { } path)
            {
                throw DriverValidationException.For(path.Length == 0 ? "body" : path, InvalidTextMessage);
            }
        }
        catch (ArgumentException)
        {
            throw DriverValidationException.For("body", "is not valid JSON: an object names the same member more than once.");
        }
        catch (InvalidOperationException)
        {
            throw DriverValidationException.For("body", $"is not valid JSON: a member name {InvalidTextMessage}");
        }
    }

    private static string? FindInvalidText(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject members:
                foreach (var (key, child) in members)
                {
                    if (FindInvalidText(child, path.Length == 0 ? key : $"{path}.{key}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    if (FindInvalidText(items[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    return IsValidUnicode(value.GetValue<string>()) ? null : path;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }

            default:
                return null;
        }
    }

    /// <summary>Whether every surrogate in <paramref name="text"/> is half of a pair.</summary>
    internal static bool IsValidUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The record as the API shows it: spec fields, then generation, times and status.</summary>
    public static JsonObject ToJson(DriverRecord record)
    {
        var json = SpecToJson(record.Spec);
        json["generation"] = record.Generation;
        json["createdAt"] = record.CreatedAt;
        json["updatedAt"] = record.UpdatedAt;
        json["status"] = JsonSerializer.SerializeToNode(record.Status, Options);
        return json;
    }

    /// <summary>The spec alone.</summary>
    public static JsonObject SpecToJson(DriverSpec spec) => JsonSerializer.SerializeToNode(spec, Options)!.AsObject();

    /// <summary>Reads a spec from operator input; a JSON or type error becomes a field-level validation error.</summary>
    public static DriverSpec ParseSpec(JsonNode? body)
    {
        if (body is not JsonObject)
        {
            throw DriverValidationException.For("body", "must be a JSON object.");
        }

        RequireWellFormed(body);
        try
        {
            return body.Deserialize<DriverSpec>(StrictOptions) ?? throw DriverValidationException.For("body", "must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw DriverValidationException.For(FieldOf(e.Path), Describe(e));
        }
    }

    /// <summary>Applies an RFC 7396 JSON merge patch to <paramref name="spec"/> and returns the patched spec (not yet validated).</summary>
    public static DriverSpec ApplyMergePatch(DriverSpec spec, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            throw DriverValidationException.For("body", "a merge patch must be a JSON object.");
        }

        RequireWellFormed(patchObject);
        var target = SpecToJson(spec);
        Merge(target, patchObject);
        return ParseSpec(target);
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && target[key] is JsonObject targetChild)
            {
                Merge(targetChild, patchChild);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private static string FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "body";
        }

        var field = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
    }

    private static string Describe(JsonException e)
    {
        if (e is EnumWordConverter.UnknownWordException)
        {
            return e.Message;
        }

        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "is not a known field.";
        }

        return e.InnerException is null && message.Contains("The JSON value could not be converted", StringComparison.Ordinal)
            ? "has the wrong type or value."
            : "is not valid JSON for this field.";
    }

    private static JsonSerializerOptions CreateOptions(JsonUnmappedMemberHandling unmapped)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = unmapped,
            WriteIndented = false,
            AllowTrailingCommas = false,
            AllowDuplicateProperties = false,
        };
        options.Converters.Add(new EnumWordConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
