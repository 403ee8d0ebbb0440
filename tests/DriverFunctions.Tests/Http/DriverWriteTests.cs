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
    public async Task Patch_that_makes_the_spec_invalid_is_a_400_naming_the_url_and_platform_fields_and_keeps_the_record()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"url":"http://user:secret@example.invalid/a.tar.gz","platforms":{"linux-arm64":{"checksum":"12"}}}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "url", "platforms.linux-arm64.url", "platforms.linux-arm64.checksum");
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

    [Theory]
    [InlineData("""{"url":"https://example.invalid/a.tar.gz","url":"https://example.invalid/b.tar.gz"}""")]
    [InlineData("""{"url":"https://example.invalid/a.tar.gz","platforms":{"linux-arm64":{"url":"https://example.invalid/c.tar.gz","url":"https://example.invalid/d.tar.gz"}}}""")]
    [InlineData("""{"url":"https://example.invalid/a.tar.gz","u\u0072l":"https://example.invalid/b.tar.gz"}""")]
    public async Task Put_refuses_a_member_given_twice_as_a_400_for_body_and_stores_nothing(string body)
    {
        var response = await PutAsync("hetzner", body);

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "body");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Theory]
    [InlineData("""{"url":"https://example.invalid/a.tar.gz","displayName":"\ud800"}""", "displayName")]
    [InlineData("""{"url":"https://example.invalid/a.tar.gz","whitelistDomains":["ok.example","\udc00"]}""", "whitelistDomains[1]")]
    [InlineData("""{"url":"https://example.invalid/a.tar.gz","\ud800":1}""", "body")]
    public async Task Put_refuses_a_lone_surrogate_as_a_400_for_its_field_and_stores_nothing(string body, string field)
    {
        var response = await PutAsync("hetzner", body);

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", field);
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_refuses_a_body_that_is_not_valid_utf8_as_a_400()
    {
        var request = FunctionsApp.Request("PUT", "/api/drivers/hetzner", "{}");
        byte[] bytes = [.. "{\"url\":\"https://example.invalid/a.tar.gz\",\"displayName\":\""u8, 0xFF, 0xFE, .. "\"}"u8];
        request.Body = new MemoryStream(bytes);
        request.ContentLength = bytes.Length;

        var response = await app.CallAsync<DriversFunctions>(request, (f, r) => f.Put(r, "hetzner"));

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "displayName");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Theory]
    [InlineData("""{"displayName":"one","displayName":"two"}""", "body")]
    [InlineData("""{"platforms":{"linux-arm64":{"url":"https://example.invalid/c.tar.gz","url":"https://example.invalid/d.tar.gz"}}}""", "body")]
    [InlineData("""{"description":"\ud83d"}""", "description")]
    public async Task Patch_refuses_duplicate_members_and_lone_surrogates_as_a_400_and_keeps_the_record(string patch, string field)
    {
        var created = await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", patch);

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", field);
        var stored = await app.Catalog.GetAsync("hetzner");
        Assert.Equal(created.Header("ETag"), stored.ETag);
        Assert.Null(stored.Spec.DisplayName);
    }

    [Fact]
    public async Task Put_with_a_newline_after_the_route_name_is_a_400_for_name_and_stores_nothing()
    {
        var request = FunctionsApp.Request("PUT", "/api/drivers/abc\n", HetznerSpec);

        var response = await app.CallAsync<DriversFunctions>(request, (f, r) => f.Put(r, "abc\n"));

        ProblemAssert.IsValidationProblem(response, "/api/drivers/abc%0A", "name");
        Assert.Empty(await app.Catalog.ListAsync(DriverMirror.Catalog.DriverQuery.All).ToListAsync());
    }

    [Theory]
    [InlineData("node, cluster")]
    [InlineData("cluster,node")]
    [InlineData("1")]
    public async Task Put_with_a_kind_that_is_not_exactly_one_word_is_a_400_for_kind(string kind)
    {
        var response = await PutAsync("hetzner", $$"""{"url":"https://example.invalid/a.tar.gz","kind":"{{kind}}"}""");

        var problem = ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "kind");
        Assert.Equal("must be one of node, cluster.", problem["errors"]!["kind"]![0]!.GetValue<string>());
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_of_more_platforms_than_storage_can_hold_is_a_400_for_platforms_and_stores_nothing()
    {
        var platforms = string.Join(",", new[] { "linux-arm64", "linux-arm", "linux-386", "linux-s390x", "linux-ppc64le", "linux-riscv64", "darwin-amd64", "darwin-arm64", "windows-amd64", "windows-arm64", "windows-386", "darwin-386" }
            .Select(p => $$"""
                "{{p}}":{"url":"https://example.invalid/{{new string('p', 2000)}}/{{p}}.tar.gz"}
                """));

        var response = await PutAsync("hetzner", $$"""{"url":"https://example.invalid/a.tar.gz","platforms":{{"{" + platforms + "}"}}}""");

        var problem = ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "platforms");
        Assert.Contains("at most 8", problem["errors"]!["platforms"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_of_platforms_whose_stored_json_is_too_large_is_a_400_for_platforms()
    {
        // Eight platforms are allowed, but URLs of non-ASCII characters grow six-fold as escaped JSON.
        var platforms = string.Join(",", new[] { "linux-arm64", "linux-arm", "linux-386", "linux-s390x", "linux-ppc64le", "linux-riscv64", "darwin-amd64", "darwin-arm64" }
            .Select(p => $$"""
                "{{p}}":{"url":"https://example.invalid/{{new string('é', 1000)}}/{{p}}.tar.gz"}
                """));

        var response = await PutAsync("hetzner", $$"""{"url":"https://example.invalid/a.tar.gz","platforms":{{"{" + platforms + "}"}}}""");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/hetzner", "platforms");
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Put_stores_an_upper_case_local_url_as_local()
    {
        var response = await PutAsync("amazonec2", """{"builtin":true,"url":"LOCAL://"}""");

        Assert.Equal(201, response.Status);
        Assert.Equal(DriverMirror.Catalog.DriverSpec.LocalUrl, response.Json["url"]!.GetValue<string>());
        Assert.Equal(DriverMirror.Catalog.DriverSpec.LocalUrl, (await app.Catalog.GetAsync("amazonec2")).Spec.Url);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("\"not-an-etag\"")]
    [InlineData("W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\"")]
    public async Task Delete_with_an_if_match_that_is_not_the_current_etag_is_412_and_the_driver_stays(string ifMatch)
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await DeleteAsync("hetzner", ("If-Match", ifMatch));

        ProblemAssert.IsProblem(response, 412, "/api/drivers/hetzner");
        Assert.NotNull(await app.Catalog.FindAsync("hetzner"));
    }

    [Fact]
    public async Task Patch_with_if_match_star_applies_to_an_existing_driver()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await PatchAsync("hetzner", """{"displayName":"starred"}""", headers: ("If-Match", "*"));

        Assert.Equal(200, response.Status);
        Assert.Equal("starred", (await app.Catalog.GetAsync("hetzner")).Spec.DisplayName);
    }

    [Fact]
    public async Task Delete_with_if_match_star_removes_an_existing_driver()
    {
        await PutAsync("hetzner", HetznerSpec);

        var response = await DeleteAsync("hetzner", ("If-Match", "*"));

        Assert.Equal(204, response.Status);
        Assert.Null(await app.Catalog.FindAsync("hetzner"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\"")]
    public async Task Patch_delete_and_activate_with_if_match_on_a_missing_driver_are_412_like_put(string ifMatch)
    {
        var patch = await PatchAsync("ghost", """{"displayName":"x"}""", headers: ("If-Match", ifMatch));
        var delete = await DeleteAsync("ghost", ("If-Match", ifMatch));
        var activate = await app.CallAsync<DriverActivationFunctions>(
            FunctionsApp.Request("POST", "/api/drivers/ghost/activate", headers: ("If-Match", ifMatch)), (f, r) => f.Activate(r, "ghost"));

        ProblemAssert.IsProblem(patch, 412, "/api/drivers/ghost");
        ProblemAssert.IsProblem(delete, 412, "/api/drivers/ghost");
        ProblemAssert.IsProblem(activate, 412, "/api/drivers/ghost/activate");
        Assert.Null(await app.Catalog.FindAsync("ghost"));
    }

    [Fact]
    public async Task An_empty_or_blank_if_match_header_is_a_400_for_every_write_and_changes_nothing()
    {
        // Kestrel hands an empty header over as ""; DefaultHttpContext drops "" values, so blank ones stand in for it here.
        var created = await PutAsync("hetzner", HetznerSpec);

        var put = await PutAsync("hetzner", """{"url":"https://example.invalid/v2.tar.gz"}""", headers: ("If-Match", " "));
        var patch = await PatchAsync("hetzner", """{"displayName":"x"}""", headers: ("If-Match", " "));
        var delete = await DeleteAsync("hetzner", ("If-Match", "\t"));

        ProblemAssert.IsValidationProblem(put, "/api/drivers/hetzner", "If-Match");
        ProblemAssert.IsValidationProblem(patch, "/api/drivers/hetzner", "If-Match");
        ProblemAssert.IsValidationProblem(delete, "/api/drivers/hetzner", "If-Match");
        Assert.Equal(created.Header("ETag"), (await app.Catalog.GetAsync("hetzner")).ETag);
    }
}
