using System.Text.Json.Nodes;

namespace DriverFunctions.Tests.Contract;

/// <summary>One HTTP trigger as the Functions host sees it in <c>functions.metadata</c>.</summary>
public sealed record HttpTriggerEntry(string Function, string Route, string Methods, string AuthLevel, string EntryPoint);

/// <summary>Reads the <c>functions.metadata</c> the DriverFunctions build generated (copied next to the tests).</summary>
public static class FunctionsMetadata
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "Contract", "functions.metadata");

    public static JsonArray Load()
    {
        Assert.True(File.Exists(Path), $"functions.metadata not found at {Path}; build src/DriverFunctions first.");
        return JsonNode.Parse(File.ReadAllText(Path))!.AsArray();
    }

    /// <summary>Every HTTP-triggered function; methods upper-case, sorted and joined with commas.</summary>
    public static IReadOnlyList<HttpTriggerEntry> HttpTriggers() =>
    [
        .. from function in Load()
           from binding in function!["bindings"]!.AsArray()
           where binding!["type"]!.GetValue<string>() == "httpTrigger"
           let methods = binding["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order(StringComparer.Ordinal)
           orderby function["name"]!.GetValue<string>()
           select new HttpTriggerEntry(
               function["name"]!.GetValue<string>(),
               binding["route"]!.GetValue<string>(),
               string.Join(",", methods),
               binding["authLevel"]!.GetValue<string>(),
               function["entryPoint"]!.GetValue<string>()),
    ];
}
