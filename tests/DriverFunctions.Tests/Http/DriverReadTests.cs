using DriverFunctions.Http;
using DriverMirror.Catalog;

namespace DriverFunctions.Tests.Http;

public sealed class DriverReadTests : IAsyncLifetime
{
    private readonly FunctionsApp app = FunctionsApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<ApiResponse> ListAsync(string query = "") =>
        app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", $"/api/drivers{query}"), (f, r) => f.List(r));

    private Task<ApiResponse> GetAsync(string name) =>
        app.CallAsync<DriversFunctions>(FunctionsApp.Request("GET", $"/api/drivers/{name}"), (f, r) => f.Get(r, name));

    private static string[] Names(ApiResponse response) =>
        [.. response.Json["drivers"]!.AsArray().Select(d => d!["name"]!.GetValue<string>())];

    [Fact]
    public async Task List_returns_every_driver_in_name_order_as_records()
    {
        await app.SeedAsync("vultr");
        await app.SeedAsync("hetzner");

        var response = await ListAsync("?code=function-key-is-not-a-filter");

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(["hetzner", "vultr"], Names(response));
        var first = response.Json["drivers"]![0]!.AsObject();
        var stored = await app.Catalog.GetAsync("hetzner");
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(DriverJson.ToJson(stored), first));
    }

    [Fact]
    public async Task List_of_an_empty_catalog_is_an_empty_array()
    {
        var response = await ListAsync();

        Assert.Equal(200, response.Status);
        Assert.Empty(response.Json["drivers"]!.AsArray());
    }

    [Theory]
    [InlineData("?kind=cluster", new[] { "eks" })]
    [InlineData("?kind=node", new[] { "hetzner", "vultr" })]
    [InlineData("?active=false", new[] { "vultr" })]
    [InlineData("?active=true&kind=node", new[] { "hetzner" })]
    [InlineData("?state=disabled", new[] { "vultr" })]
    [InlineData("?state=pending", new[] { "eks", "hetzner" })]
    [InlineData("?state=ready", new string[0])]
    public async Task List_filters_by_kind_active_and_state(string query, string[] expected)
    {
        await app.SeedAsync("hetzner");
        await app.SeedAsync("vultr", active: false);
        await app.SeedAsync("eks", kind: DriverKind.Cluster);

        var response = await ListAsync(query);

        Assert.Equal(200, response.Status);
        Assert.Equal(expected, Names(response));
    }

    [Fact]
    public async Task List_with_invalid_filter_values_is_a_400_problem_naming_each_filter()
    {
        var response = await ListAsync("?kind=machine&active=yes&state=done");

        var problem = ProblemAssert.IsValidationProblem(response, "/api/drivers", "kind", "active", "state");
        Assert.Contains("node", problem["errors"]!["kind"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_refuses_a_filter_given_twice()
    {
        var response = await ListAsync("?kind=node&kind=cluster");

        ProblemAssert.IsValidationProblem(response, "/api/drivers", "kind");
    }

    [Fact]
    public async Task Get_returns_the_record_with_the_stored_etag_in_the_etag_header()
    {
        var seeded = await app.SeedAsync("hetzner");

        var response = await GetAsync("hetzner");

        Assert.Equal(200, response.Status);
        Assert.Equal(seeded.ETag, response.Header("ETag"));
        Assert.Equal((await app.Catalog.GetAsync("hetzner")).ETag, response.Header("ETag"));
        Assert.Equal("hetzner", response.Json["name"]!.GetValue<string>());
        Assert.Equal(1, response.Json["generation"]!.GetValue<long>());
        Assert.Equal("pending", response.Json["status"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_of_a_missing_driver_is_a_404_problem()
    {
        var response = await GetAsync("nothing-here");

        var problem = ProblemAssert.IsProblem(response, 404, "/api/drivers/nothing-here");
        Assert.Contains("nothing-here", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(response.Header("ETag"));
    }

    [Theory]
    [InlineData("Hetzner")]
    [InlineData("-leading-dash")]
    [InlineData("under_score")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public async Task Get_with_an_invalid_name_is_a_400_problem_for_name(string name)
    {
        var response = await GetAsync(name);

        ProblemAssert.IsValidationProblem(response, $"/api/drivers/{name}", "name");
    }
}
