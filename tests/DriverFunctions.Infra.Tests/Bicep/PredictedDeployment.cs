using System.Text.Json.Nodes;

namespace DriverFunctions.Infra.Tests.Bicep;

/// <summary>The resources and outputs <c>bicep snapshot</c> predicts; values that need a live resource stay ARM expressions.</summary>
public sealed class PredictedDeployment
{
    private PredictedDeployment(IReadOnlyList<JsonObject> resources, JsonObject outputs, JsonArray diagnostics)
    {
        Resources = resources;
        Outputs = outputs;
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<JsonObject> Resources { get; }

    public JsonObject Outputs { get; }

    public JsonArray Diagnostics { get; }

    public static PredictedDeployment Parse(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        return new PredictedDeployment(
            root["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList(),
            root["outputs"]?.AsObject() ?? [],
            root["diagnostics"]?.AsArray() ?? []);
    }

    public IReadOnlyList<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase)).ToList();

    public JsonObject Single(string type)
    {
        var matches = OfType(type);
        Assert.True(matches.Count == 1, $"Expected exactly one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The last segment of a child resource's name (<c>account/default/drivers</c> → <c>drivers</c>).</summary>
    public static string LeafName(JsonObject resource) => ((string)resource["name"]!).Split('/')[^1];

    /// <summary>The node at a dotted path (<c>properties.functionAppConfig.runtime.name</c>), or null.</summary>
    public static JsonNode? Node(JsonObject resource, string path)
    {
        JsonNode? node = resource;
        foreach (var segment in path.Split('.'))
        {
            node = node?[segment];
        }

        return node;
    }
}
