using DriverFunctions.Http;
using DriverMirror.Catalog;

namespace DriverFunctions.Tests.Http;

public sealed class DriverActivationTests : IAsyncLifetime
{
    private readonly FunctionsApp app = FunctionsApp.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<ApiResponse> ActivateAsync(string name, params (string, string)[] headers) =>
        app.CallAsync<DriverActivationFunctions>(FunctionsApp.Request("POST", $"/api/drivers/{name}/activate", headers: headers), (f, r) => f.Activate(r, name));

    private Task<ApiResponse> DeactivateAsync(string name, params (string, string)[] headers) =>
        app.CallAsync<DriverActivationFunctions>(FunctionsApp.Request("POST", $"/api/drivers/{name}/deactivate", headers: headers), (f, r) => f.Deactivate(r, name));

    [Fact]
    public async Task Deactivate_then_activate_flip_active_and_return_the_record_with_its_etag()
    {
        await app.SeedAsync("hetzner");

        var deactivated = await DeactivateAsync("hetzner");

        Assert.Equal(200, deactivated.Status);
        Assert.False(deactivated.Json["active"]!.GetValue<bool>());
        Assert.Equal("disabled", deactivated.Json["status"]!["state"]!.GetValue<string>());
        Assert.False((await app.Catalog.GetAsync("hetzner")).Spec.Active);

        var activated = await ActivateAsync("hetzner", ("If-Match", deactivated.Header("ETag")!));

        Assert.Equal(200, activated.Status);
        var stored = await app.Catalog.GetAsync("hetzner");
        Assert.True(stored.Spec.Active);
        Assert.Equal(DriverState.Pending, stored.Status.State);
        Assert.Equal(stored.ETag, activated.Header("ETag"));
        Assert.Equal(3, stored.Generation);
    }

    [Fact]
    public async Task Activating_an_active_driver_changes_nothing()
    {
        var seeded = await app.SeedAsync("hetzner");

        var response = await ActivateAsync("hetzner");

        Assert.Equal(200, response.Status);
        Assert.Equal(seeded.ETag, response.Header("ETag"));
        Assert.Equal(1, (await app.Catalog.GetAsync("hetzner")).Generation);
    }

    [Fact]
    public async Task Activate_with_a_stale_if_match_is_412_and_the_driver_stays_inactive()
    {
        var seeded = await app.SeedAsync("hetzner", active: false);
        await app.Catalog.PatchAsync("hetzner", System.Text.Json.Nodes.JsonNode.Parse("""{"displayName":"x"}"""));

        var response = await ActivateAsync("hetzner", ("If-Match", seeded.ETag));

        ProblemAssert.IsProblem(response, 412, "/api/drivers/hetzner/activate");
        Assert.False((await app.Catalog.GetAsync("hetzner")).Spec.Active);
    }

    [Fact]
    public async Task Deactivate_of_a_missing_driver_is_a_404_problem()
    {
        var response = await DeactivateAsync("ghost");

        ProblemAssert.IsProblem(response, 404, "/api/drivers/ghost/deactivate");
    }

    [Fact]
    public async Task Activate_with_an_invalid_name_is_a_400_for_name()
    {
        var response = await ActivateAsync("UPPER");

        ProblemAssert.IsValidationProblem(response, "/api/drivers/UPPER/activate", "name");
    }
}
