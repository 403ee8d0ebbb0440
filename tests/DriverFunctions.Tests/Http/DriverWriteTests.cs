using DriverFunctions.Http;

namespace DriverFunctions.Tests.Http;

public sealed class DriverWriteTests : IAsyncLifetime
{
    private const string HetznerSpec = """
        {"url":"https://example.invalid/docker-machine-driver-hetzner_3.13.0_linux_amd64.tar.gz","active":true,"whitelistDomains":["api.hetzner.cloud"]}
        """;

    private readonly FunctionsApp app = FunctionsApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<ApiResponse> PutAsync(string name, string? body, string? contentType = "application/json", params (string, string)[] headers) =>
        app.CallAsync<DriversFunctions>(FunctionsApp.Request("PUT", $"/api/drivers/{name}", body, contentType, headers), (f, r) => f.Put(r, name));

    private Task<ApiResponse> PatchAsync(string name, string body, string contentType = "application/merge-patch+json", params (string, string)[] headers) =>
        app.CallAsync<DriversFunctions>(FunctionsApp.Request("PATCH", $"/api/drivers/{name}", body, contentType, headers), (f, r) => f.Patch(r, name));

    private Task<ApiResponse> DeleteAsync(string name, params (string, string)[] headers) =>
        app.CallAsync<DriversFunctions>(FunctionsApp.Request("DELETE", $"/api/drivers/{name}", headers: headers), (f, r) => f.Delete(r, name));

    [Fact]
    public async Task Put_of_a_new_driver_creates_it_with_201_location_and_etag()
    {
        var response = await PutAsync("hetzner", HetznerSpec);

        Assert.Equal(201, response.Status);
        Assert.Equal("/api/drivers/hetzner", response.Header("Location"));
        var stored = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(stored.ETag, response.Header("ETag"));
        Assert.Equal("hetzner", response.Json["name"]!.GetValue<string>());
        Assert.Equal(["api.hetzner.cloud"], stored.Spec.WhitelistDomains!);
        Assert.True(stored.Spec.Active);
    }

    [Fact]
    public async Task Put_of_an_existing_driver_replaces_the_spec_with_200_and_a_new_generation()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PutAsync("hetzner", """{"name":"hetzner","url":"https://example.invalid/v2.tar.gz","displayName":"Hetzner"}""");

        Assert.Equal(200, response.Status);
        Assert.Null(response.Header("Location"));
        var stored = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(2, stored.Generation);
        Assert.Equal("https://example.invalid/v2.tar.gz", stored.Spec.Url);
        Assert.Null(stored.Spec.WhitelistDomains);
        Assert.False(stored.Spec.Active);
        Assert.Equal(stored.ETag, response.Header("ETag"));
    }

    [Fact]
    public async Task Put_with_the_current_if_match_replaces()
    {
        var created = await PutAsync("hetzner", HetznerSpec);

        var response = await PutAsync("hetzner", """{"url":"https://example.invalid/v2.tar.gz"}""", headers: ("If-Match", created.Header("ETag")!));

        Assert.Equal(200, response.Status);
        Assert.Equal(2, (await app.Catalog.GetAsync("hetzner")).Generation);
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_412_and_keeps_the_stored_record()
    {
        var created = await PutAsync("hetzner", HetznerSpec);
        await PatchAsync("hetzner", """{"displayName":"Hetzner Cloud"}""");
        var before = await app.Catalog.GetAsync("hetzner");

        var response = await PutAsync("hetzner", """{"url":"https://example.invalid/stale.tar.gz"}""", headers: ("If-Match", created.Header("ETag")!));

        ProblemAssert.IsProblem(response, 412, "/api/drivers/hetzner");
        var after = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal("Hetzner Cloud", after.Spec.DisplayName);
        Assert.Equal(before.Spec.Url, after.Spec.Url);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\"")]
    public async Task Put_with_if_match_on_a_missing_driver_is_412_and_creates_nothing(string ifMatch)
    {
        var response = await PutAsync("hetzner", HetznerSpec, headers: ("If-Match", ifMatch));

        ProblemAssert.IsProblem(response, 412, "/api/drivers/hetzner");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_refuses_a_body_name_that_differs_from_the_route()
    {
        var response = await PutAsync("hetzner", """{"name":"vultr","url":"https://example.invalid/a.tar.gz"}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "name");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
        Assert.Null(await app.Catalog.FindAsync("vultr"));
    }

    [Fact]
    public async Task Put_refuses_an_unknown_field_and_stores_nothing()
    {
        var response = await PutAsync("hetzner", """{"url":"https://example.invalid/a.tar.gz","checksumm":"abc"}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "checksumm");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Theory]
    [InlineData("{\"url\":")]
    [InlineData("not json")]
    [InlineData("{\"url\":\"https://example.invalid/a.tar.gz\",}")]
    public async Task Put_refuses_malformed_json_as_a_400_problem_for_body(string body)
    {
        var response = await PutAsync("hetzner", body);

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "body");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"hetzner\"")]
    [InlineData("")]
    public async Task Put_refuses_a_body_that_is_not_a_json_object(string body)
    {
        var response = await PutAsync("hetzner", body);

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "body");
    }

    [Fact]
    public async Task Put_of_an_invalid_spec_lists_every_broken_field_and_stores_nothing()
    {
        var response = await PutAsync("hetzner", """{"url":"ftp://example.invalid/a.tar.gz","checksum":"xyz","kind":"node"}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "url", "checksum");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_of_a_wrongly_typed_field_is_a_400_for_that_field()
    {
        var response = await PutAsync("hetzner", """{"url":"https://example.invalid/a.tar.gz","active":"yes"}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "active");
    }

    [Fact]
    public async Task Put_with_an_invalid_route_name_is_a_400_for_name()
    {
        var response = await PutAsync("Bad_Name", HetznerSpec);

        ProblemAssert.IsValidationProblem(response, "/api/drivers/Bad_Name", "name");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Put_refuses_a_body_that_is_not_declared_json_with_415(string contentType)
    {
        var response = await PutAsync("hetzner", HetznerSpec, contentType);

        ProblemAssert.IsProblem(response, 415, "/api/drivers/hetzner");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_refuses_a_body_over_the_limit_with_413()
    {
        var huge = $$"""{"url":"https://example.invalid/a.tar.gz","description":"{{new string('x', RequestInput.MaxSpecBytes)}}"}""";

        var response = await PutAsync("hetzner", huge);

        ProblemAssert.IsProblem(response, 413, "/api/drivers/hetzner");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_reads_a_body_without_content_type_as_json()
    {
        var response = await PutAsync("hetzner", HetznerSpec, contentType: null);

        Assert.Equal(201, response.Status);
        Assert.NotNull(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_refuses_a_chunked_body_over_the_limit_with_413_while_reading()
    {
        var request = FunctionsApp.Request("PUT", "/api/drivers/hetzner", $$"""{"description":"{{new string('x', RequestInput.MaxSpecBytes)}}"}""");
        request.ContentLength = null;

        var response = await app.CallAsync<DriversFunctions>(request, (f, r) => f.Put(r, "hetzner"));

        ProblemAssert.IsProblem(response, 413, "/api/drivers/hetzner");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/json; charset=utf-8")]
    public async Task Patch_merges_fields_and_removes_those_set_to_null(string contentType)
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"displayName":"Hetzner Cloud","whitelistDomains":null}""", contentType);

        Assert.Equal(200, response.Status);
        var stored = await app.Catalog.GetAsync("hetzner");
        Assert.Equal("Hetzner Cloud", stored.Spec.DisplayName);
        Assert.Null(stored.Spec.WhitelistDomains);
        Assert.True(stored.Spec.Active);
        Assert.Equal(2, stored.Generation);
        Assert.Equal(stored.ETag, response.Header("ETag"));
        Assert.Equal("Hetzner Cloud", response.Json["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_with_a_stale_if_match_is_412_and_keeps_the_stored_record()
    {
        var created = await PutAsync("hetzner", HetznerSpec);
        await PatchAsync("hetzner", """{"displayName":"first"}""");

        var response = await PatchAsync("hetzner", """{"displayName":"second"}""", headers: ("If-Match", created.Header("ETag")!));

        ProblemAssert.IsProblem(response, 412, "/api/drivers/hetzner");
        Assert.Equal("first", (await app.Catalog.GetAsync("hetzner")).Spec.DisplayName);
    }

    [Fact]
    public async Task Patch_with_the_current_if_match_applies()
    {
        var created = await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"displayName":"ok"}""", headers: ("If-Match", created.Header("ETag")!));

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", (await app.Catalog.GetAsync("hetzner")).Spec.DisplayName);
    }

    [Fact]
    public async Task Patch_of_a_missing_driver_is_a_404_problem()
    {
        var response = await PatchAsync("ghost", """{"displayName":"x"}""");

        ProblemAssert.IsProblem(response, 404, "/api/drivers/ghost");
        Assert.Null(await app.Catalog.FindAsync("ghost"));
    }

    [Fact]
    public async Task Patch_that_makes_the_spec_invalid_is_a_400_and_keeps_the_record()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"url":"http://user:secret@example.invalid/a.tar.gz","platforms":{"linux-arm64":{"checksum":"12"}}}""");

        var problem = ProblemAssert.IsProblem(response, 400, "/api/drivers/hetzner");
        Assert.Contains("url", problem["errors"]!.AsObject().Select(e => e.Key));
        var stored = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(1, stored.Generation);
        Assert.StartsWith("https://example.invalid/", stored.Spec.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_cannot_rename_a_driver()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"name":"vultr"}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "name");
        Assert.Null(await app.Catalog.FindAsync("vultr"));
    }

    [Fact]
    public async Task Patch_refuses_an_unknown_field()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"colour":"red"}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "colour");
    }

    [Fact]
    public async Task Patch_refuses_a_patch_that_is_not_an_object()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """["displayName"]""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "body");
    }

    [Fact]
    public async Task Patch_refuses_other_media_types_with_415()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"displayName":"x"}""", "application/json-patch+json");

        ProblemAssert.IsProblem(response, 415, "/api/drivers/hetzner");
        Assert.Null((await app.Catalog.GetAsync("hetzner")).Spec.DisplayName);
    }

    [Fact]
    public async Task Delete_removes_the_driver_with_204_and_no_body()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await DeleteAsync("hetzner");

        Assert.Equal(204, response.Status);
        Assert.Empty(response.Body);
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Delete_with_the_current_if_match_removes_the_driver()
    {
        var created = await PutAsync("hetzner", HetznerSpec);

        var response = await DeleteAsync("hetzner", ("If-Match", created.Header("ETag")!));

        Assert.Equal(204, response.Status);
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Delete_of_a_missing_driver_is_a_404_problem()
    {
        var response = await DeleteAsync("ghost");

        ProblemAssert.IsProblem(response, 404, "/api/drivers/ghost");
    }

    [Fact]
    public async Task Delete_with_a_stale_if_match_is_412_and_the_driver_stays()
    {
        var created = await PutAsync("hetzner", HetznerSpec);
        await PatchAsync("hetzner", """{"displayName":"changed"}""");

        var response = await DeleteAsync("hetzner", ("If-Match", created.Header("ETag")!));

        ProblemAssert.IsProblem(response, 412, "/api/drivers/hetzner");
        Assert.Equal("changed", (await app.Catalog.GetAsync("hetzner")).Spec.DisplayName);
    }

    [Fact]
    public async Task Delete_with_an_invalid_name_is_a_400_for_name()
    {
        var response = await DeleteAsync("no.dots");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/no.dots", "name");
    }
}
