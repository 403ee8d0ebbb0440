using System.Reflection;
using System.Text.Json.Nodes;
using DriverFunctions.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DriverFunctions.Tests.Contract;

/// <summary>The public HTTP contract: the table below is what clients may rely on; changing it is a breaking change.</summary>
public sealed class HttpContractTests
{
    private static readonly (string Function, string Route, string Methods, string AuthLevel)[] PublicContract =
    [
        ("ActivateDriver", "drivers/{name}/activate", "POST", "Function"),
        ("DeactivateDriver", "drivers/{name}/deactivate", "POST", "Function"),
        ("DeleteDriver", "drivers/{name}", "DELETE", "Function"),
        ("GetDriver", "drivers/{name}", "GET", "Function"),
        ("Health", "health", "GET", "Anonymous"),
        ("ImportCatalog", "catalog/import", "POST", "Function"),
        ("ListDrivers", "drivers", "GET", "Function"),
        ("OpenApi", "openapi.json", "GET", "Function"),
        ("PatchDriver", "drivers/{name}", "PATCH", "Function"),
        ("PutDriver", "drivers/{name}", "PUT", "Function"),
        ("RancherKontainerDrivers", "rancher/kontainerdrivers", "GET", "Function"),
        ("RancherNodeDrivers", "rancher/nodedrivers", "GET", "Function"),
        ("SyncAll", "sync", "POST", "Function"),
        ("SyncDriver", "drivers/{name}/sync", "POST", "Function"),
    ];

    private static async Task<JsonObject> ServedOpenApiAsync()
    {
        await using var app = FunctionsApp.Create();
        var response = await app.CallAsync<OpenApiFunction>(FunctionsApp.Request("GET", "/api/openapi.json"), (f, r) => Task.FromResult(f.Get(r)));
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        return response.Json.AsObject();
    }

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> OpenApiOperations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select (operation.Key.ToUpperInvariant(), path.Key, operation.Value!.AsObject());

    [Fact]
    public void Functions_metadata_declares_exactly_the_public_http_contract()
    {
        var actual = FunctionsMetadata.HttpTriggers().Select(t => (t.Function, t.Route, t.Methods, t.AuthLevel));

        Assert.Equal(PublicContract.OrderBy(c => c.Function, StringComparer.Ordinal), actual);
    }

    [Fact]
    public void Only_the_health_probe_is_anonymous()
    {
        var anonymous = FunctionsMetadata.HttpTriggers().Where(t => t.AuthLevel != "Function").Select(t => t.Function);

        Assert.Equal(["Health"], anonymous);
    }

    [Fact]
    public async Task Openapi_document_covers_exactly_the_http_routes_and_methods_in_functions_metadata()
    {
        var document = await ServedOpenApiAsync();
        var prefix = document["servers"]![0]!["url"]!.GetValue<string>();

        var documented = OpenApiOperations(document)
            .Select(o => $"{o.Method} {prefix}{o.Path} {o.Operation["operationId"]!.GetValue<string>()}")
            .Order(StringComparer.Ordinal);
        var deployed = FunctionsMetadata.HttpTriggers()
            .SelectMany(t => t.Methods.Split(',').Select(m => $"{m} {ApiRoutes.Prefix}/{t.Route} {t.Function}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(deployed, documented);
    }

    [Fact]
    public async Task Openapi_document_lists_the_storage_outage_503_on_every_operation_that_reads_storage()
    {
        var document = await ServedOpenApiAsync();

        var without503 = OpenApiOperations(document)
            .Where(o => o.Operation["responses"]!["503"] is null)
            .Select(o => o.Operation["operationId"]!.GetValue<string>());

        Assert.Equal(["OpenApi"], without503);
    }

    [Fact]
    public async Task Openapi_document_requires_a_function_key_except_where_the_trigger_is_anonymous()
    {
        var document = await ServedOpenApiAsync();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("x-functions-key", schemes["functionKeyHeader"]!["name"]!.GetValue<string>());
        Assert.Equal("header", schemes["functionKeyHeader"]!["in"]!.GetValue<string>());
        Assert.Equal("code", schemes["functionKeyQuery"]!["name"]!.GetValue<string>());
        Assert.Equal("query", schemes["functionKeyQuery"]!["in"]!.GetValue<string>());
        Assert.Equal(2, document["security"]!.AsArray().Count);

        var triggers = FunctionsMetadata.HttpTriggers().ToDictionary(t => t.Function);
        foreach (var (_, _, operation) in OpenApiOperations(document))
        {
            var anonymous = triggers[operation["operationId"]!.GetValue<string>()].AuthLevel == "Anonymous";
            var security = operation["security"] as JsonArray;
            Assert.Equal(anonymous, security is { Count: 0 });
        }
    }

    [Fact]
    public async Task Openapi_document_is_version_3_and_every_reference_resolves()
    {
        var document = await ServedOpenApiAsync();

        Assert.StartsWith("3.0.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var references = new List<string>();
        Collect(document, references);
        Assert.NotEmpty(references);
        foreach (var reference in references.Distinct())
        {
            Assert.StartsWith("#/", reference, StringComparison.Ordinal);
            JsonNode? target = document;
            foreach (var segment in reference[2..].Split('/'))
            {
                target = target?[segment];
            }

            Assert.True(target is JsonObject, $"{reference} does not resolve.");
        }

        static void Collect(JsonNode? node, List<string> references)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "$ref")
                        {
                            references.Add(value!.GetValue<string>());
                        }
                        else
                        {
                            Collect(value, references);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Collect(item, references);
                    }

                    break;
            }
        }
    }

    [Fact]
    public async Task Openapi_schemas_describe_every_member_of_a_served_record_and_problem()
    {
        var document = await ServedOpenApiAsync();
        var schemas = document["components"]!["schemas"]!;
        await using var app = FunctionsApp.Create();
        await app.SeedAsync("hetzner");
        var record = await app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", "/api/drivers/hetzner"), (f, r) => f.Get(r, "hetzner"));
        var problem = await app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", "/api/drivers/ghost"), (f, r) => f.Get(r, "ghost"));

        var recordProperties = schemas["DriverRecord"]!["properties"]!.AsObject();
        Assert.All(record.Json.AsObject(), member => Assert.True(recordProperties.ContainsKey(member.Key), $"DriverRecord lacks {member.Key}"));
        var statusProperties = schemas["DriverStatus"]!["properties"]!.AsObject();
        Assert.All(record.Json["status"]!.AsObject(), member => Assert.True(statusProperties.ContainsKey(member.Key), $"DriverStatus lacks {member.Key}"));
        var problemProperties = schemas["Problem"]!["properties"]!.AsObject();
        Assert.All(problem.Json.AsObject(), member => Assert.True(problemProperties.ContainsKey(member.Key), $"Problem lacks {member.Key}"));
    }

    [Fact]
    public void Route_prefix_of_host_json_is_the_prefix_the_api_uses()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!;

        Assert.Equal(ApiRoutes.Prefix, "/" + hostJson["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_function_in_functions_metadata_can_be_created_from_the_worker_container()
    {
        await using var app = FunctionsApp.Create();
        var assembly = typeof(DriverFunctionsServiceCollectionExtensions).Assembly;
        foreach (var function in FunctionsMetadata.Load())
        {
            var entryPoint = function!["entryPoint"]!.GetValue<string>();
            var typeName = entryPoint[..entryPoint.LastIndexOf('.')];
            var type = assembly.GetType(typeName, throwOnError: true)!;
            Assert.NotNull(type.GetMethod(entryPoint[(typeName.Length + 1)..], BindingFlags.Public | BindingFlags.Instance));

            await using var scope = app.Services.CreateAsyncScope();
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }
    }
}
