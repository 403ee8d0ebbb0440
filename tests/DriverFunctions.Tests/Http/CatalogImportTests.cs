using DriverFunctions.Http;
using DriverMirror.Catalog;

namespace DriverFunctions.Tests.Http;

public sealed class CatalogImportTests : IAsyncLifetime
{
    private readonly FunctionsApp app = FunctionsApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<ApiResponse> ImportAsync(string query, string? body = null, string contentType = "application/json") =>
        app.CallAsync<CatalogImportFunction>(FunctionsApp.Request("POST", $"/api/catalog/import{query}", body, contentType), (f, r) => f.Import(r));

    private static string[] List(ApiResponse response, string member) =>
        [.. response.Json[member]!.AsArray().Select(n => n!.GetValue<string>())];

    private async Task<string[]> StoredNamesAsync()
    {
        var names = new List<string>();
        await foreach (var record in app.Catalog.ListAsync(DriverQuery.All))
        {
            names.Add(record.Name);
        }

        return [.. names];
    }

    [Theory]
    [InlineData("rancher-1.6")]
    [InlineData("rancher-2")]
    public async Task Importing_a_built_in_catalog_twice_creates_every_driver_then_changes_nothing(string catalog)
    {
        var expected = CatalogDocument.LoadBuiltIn(catalog).Drivers.Select(d => d.Name).Order(StringComparer.Ordinal).ToArray();

        var first = await ImportAsync($"?name={catalog}");
        var etags = new Dictionary<string, string>();
        await foreach (var record in app.Catalog.ListAsync(DriverQuery.All))
        {
            etags[record.Name] = record.ETag;
        }

        var second = await ImportAsync($"?name={catalog}");

        Assert.Equal(200, first.Status);
        Assert.Equal(catalog, first.Json["catalog"]!.GetValue<string>());
        Assert.Equal(expected, List(first, "created").Order(StringComparer.Ordinal));
        Assert.Empty(List(first, "unchanged"));
        Assert.Equal(200, second.Status);
        Assert.Empty(List(second, "created"));
        Assert.Equal(expected, List(second, "unchanged").Order(StringComparer.Ordinal));
        Assert.Empty(List(second, "kept"));
        Assert.Empty(List(second, "overwritten"));
        await foreach (var record in app.Catalog.ListAsync(DriverQuery.All))
        {
            Assert.Equal(etags[record.Name], record.ETag);
        }
    }

    [Fact]
    public async Task Import_keeps_an_operator_edit_unless_overwrite_is_true()
    {
        await ImportAsync("?name=rancher-2");
        var edited = CatalogDocument.LoadBuiltIn("rancher-2").Drivers.First(d => !d.IsLocal).Name;
        await app.Catalog.PatchAsync(edited, System.Text.Json.Nodes.JsonNode.Parse("""{"displayName":"Operator's choice"}"""));

        var kept = await ImportAsync("?name=rancher-2&overwrite=false");

        Assert.Equal([edited], List(kept, "kept"));
        Assert.Equal("Operator's choice", (await app.Catalog.GetAsync(edited)).Spec.DisplayName);

        var overwritten = await ImportAsync("?name=rancher-2&overwrite=true");

        Assert.Equal([edited], List(overwritten, "overwritten"));
        Assert.Empty(List(overwritten, "kept"));
        Assert.NotEqual("Operator's choice", (await app.Catalog.GetAsync(edited)).Spec.DisplayName);
    }

    [Fact]
    public async Task Import_of_an_unknown_catalog_is_a_400_for_name_and_stores_nothing()
    {
        var response = await ImportAsync("?name=rancher-3");

        var problem = ProblemAssert.IsValidationProblem(response, "/api/catalog/import", "name");
        Assert.Contains("rancher-2", problem["errors"]!["name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await StoredNamesAsync());
    }

    [Fact]
    public async Task Import_with_an_invalid_overwrite_is_a_400_and_stores_nothing()
    {
        var response = await ImportAsync("?name=rancher-2&overwrite=please");

        ProblemAssert.IsValidationProblem(response, "/api/catalog/import", "overwrite");
        Assert.Empty(await StoredNamesAsync());
    }

    [Fact]
    public async Task Import_without_a_name_reads_the_catalog_document_in_the_body()
    {
        var document = """
            {"catalog":"mine","drivers":[
              {"name":"hetzner","url":"https://example.invalid/hetzner.tar.gz","active":true},
              {"name":"amazonec2","builtin":true,"active":true}
            ]}
            """;

        var response = await ImportAsync("", document);

        Assert.Equal(200, response.Status);
        Assert.Equal("mine", response.Json["catalog"]!.GetValue<string>());
        Assert.Equal(["hetzner", "amazonec2"], List(response, "created"));
        Assert.Equal(["amazonec2", "hetzner"], await StoredNamesAsync());
        Assert.Equal(DriverSpec.LocalUrl, (await app.Catalog.GetAsync("amazonec2")).Spec.Url);
    }

    [Fact]
    public async Task Import_of_an_invalid_document_names_each_broken_driver_field_and_stores_nothing()
    {
        var document = """
            {"catalog":"broken","drivers":[
              {"name":"fine","url":"https://example.invalid/fine.tar.gz"},
              {"name":"Bad Name","url":"https://example.invalid/x.tar.gz"},
              {"name":"badurl","url":"gopher://example.invalid/x"},
              {"name":"typo","urll":"https://example.invalid/x"}
            ]}
            """;

        var response = await ImportAsync("", document);

        ProblemAssert.IsValidationProblem(response, "/api/catalog/import", "drivers[1].name", "drivers[2].url", "drivers[3].urll");
        Assert.Empty(await StoredNamesAsync());
    }

    [Theory]
    [InlineData("{\"drivers\":")]
    [InlineData("{\"catalog\":\"no drivers\"}")]
    public async Task Import_of_a_body_that_is_not_a_catalog_is_a_400(string body)
    {
        var response = await ImportAsync("", body);

        ProblemAssert.IsProblem(response, 400, "/api/catalog/import");
        Assert.Empty(await StoredNamesAsync());
    }

    [Fact]
    public async Task Import_with_neither_name_nor_body_is_a_400_for_name()
    {
        var response = await ImportAsync("");

        ProblemAssert.IsValidationProblem(response, "/api/catalog/import", "name");
    }

    [Fact]
    public async Task Import_refuses_a_body_that_is_not_json_with_415()
    {
        var response = await ImportAsync("", "catalog: yaml", "application/yaml");

        ProblemAssert.IsProblem(response, 415, "/api/catalog/import");
        Assert.Empty(await StoredNamesAsync());
    }

    [Theory]
    [InlineData("""{"catalog":"dup","catalog":"again","drivers":[]}""")]
    [InlineData("""{"drivers":[{"name":"fine","url":"https://example.invalid/fine.tar.gz"},{"name":"twice","url":"https://example.invalid/a.tar.gz","url":"https://example.invalid/b.tar.gz"}]}""")]
    public async Task Import_refuses_a_member_given_twice_as_a_400_for_body_and_stores_nothing(string body)
    {
        var response = await ImportAsync("", body);

        ProblemAssert.IsValidationProblem(response, "/api/catalog/import", "body");
        Assert.Empty(await StoredNamesAsync());
    }

    [Fact]
    public async Task Import_refuses_a_lone_surrogate_in_a_driver_as_a_400_for_that_field_and_stores_nothing()
    {
        var body = """{"drivers":[{"name":"fine","url":"https://example.invalid/fine.tar.gz"},{"name":"odd","url":"https://example.invalid/a.tar.gz","description":"\ud800"}]}""";

        var response = await ImportAsync("", body);

        ProblemAssert.IsValidationProblem(response, "/api/catalog/import", "drivers[1].description");
        Assert.Empty(await StoredNamesAsync());
    }

    [Fact]
    public async Task Import_of_a_driver_too_large_to_store_is_a_400_and_stores_none_of_the_drivers_before_it()
    {
        // Twenty valid platforms with long URLs: more JSON than one table column holds.
        var keys = new[] { "linux", "darwin", "windows" }
            .SelectMany(os => new[] { "amd64", "arm64", "arm", "386", "s390x", "ppc64le", "riscv64" }.Select(arch => $"{os}-{arch}"))
            .Where(p => p != DriverSpec.DefaultPlatform)
            .Take(20);
        var platforms = string.Join(",", keys.Select(p => $$"""
            "{{p}}":{"url":"https://example.invalid/{{new string('p', 2000)}}/{{p}}.tar.gz"}
            """));
        var body = $$"""
            {"catalog":"big","drivers":[
              {"name":"first","url":"https://example.invalid/first.tar.gz"},
              {"name":"huge","url":"https://example.invalid/huge.tar.gz","platforms":{{"{" + platforms + "}"}}}
            ]}
            """;

        var response = await ImportAsync("", body);

        var problem = ProblemAssert.IsProblem(response, 400, "/api/catalog/import");
        Assert.Contains("drivers[1].platforms", problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty(await StoredNamesAsync());
    }
}
