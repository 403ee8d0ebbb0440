using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Output;

/// <summary>Writes JSON in the HTTP API's shape (<see cref="DriverJson"/>), indented for people, parseable by scripts.</summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Indented = new(DriverJson.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter writer, JsonNode json) => writer.WriteLine(json.ToJsonString(Indented));
}
