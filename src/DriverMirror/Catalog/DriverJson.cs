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
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
