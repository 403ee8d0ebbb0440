using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using DriverMirror.Testing;

namespace DriverMirror.Tests.Catalog;

public sealed class DriverCatalogTests : IAsyncLifetime
{
    private readonly TestEnvironment env = TestEnvironment.Create();

    private DriverCatalog Catalog => env.Get<DriverCatalog>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await env.DisposeAsync();

    private static DriverSpec Hetzner(bool active = true) => new()
    {
        Name = "hetzner",
        Url = "https://example.invalid/docker-machine-driver-hetzner_3.13.0_linux_amd64.tar.gz",
        Active = active,
        WhitelistDomains = ["api.hetzner.cloud"],
    };

    [Fact]
    public async Task Create_then_get_returns_the_spec_at_generation_one_with_an_etag()
    {
        var created = await Catalog.CreateAsync(Hetzner());

        var read = await Catalog.GetAsync("hetzner");

        Assert.Equal(1, read.Generation);
        Assert.Equal(created.ETag, read.ETag);
        Assert.NotEmpty(read.ETag);
        Assert.Equal("api.hetzner.cloud", Assert.Single(read.Spec.WhitelistDomains!));
        Assert.Equal(DriverState.Pending, read.Status.State);
    }

    [Fact]
    public async Task Create_refuses_a_duplicate_name()
    {
        await Catalog.CreateAsync(Hetzner());

        await Assert.ThrowsAsync<DriverConflictException>(() => Catalog.CreateAsync(Hetzner(active: false)));
        Assert.True((await Catalog.GetAsync("hetzner")).Spec.Active);
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_fails_and_keeps_the_newer_edit()
    {
        var created = await Catalog.CreateAsync(Hetzner());
        var edited = await Catalog.PatchAsync("hetzner", JsonNode.Parse("""{"displayName":"Hetzner Cloud"}"""), created.ETag);

        await Assert.ThrowsAsync<DriverPreconditionFailedException>(
            () => Catalog.PutAsync(Hetzner() with { Description = "stale" }, created.ETag));

        var read = await Catalog.GetAsync("hetzner");
        Assert.Equal("Hetzner Cloud", read.Spec.DisplayName);
        Assert.Null(read.Spec.Description);
        Assert.Equal(edited.ETag, read.ETag);
        Assert.Equal(2, read.Generation);
    }

    [Fact]
    public async Task Generation_increments_on_spec_changes_only()
    {
        await Catalog.CreateAsync(Hetzner());

        var same = await Catalog.PutAsync(Hetzner());
        var deactivated = await Catalog.SetActiveAsync("hetzner", false);
        var again = await Catalog.SetActiveAsync("hetzner", false);

        Assert.False(same.Created);
        Assert.Equal(1, same.Record.Generation);
        Assert.Equal(2, deactivated.Generation);
        Assert.Equal(2, again.Generation);
        Assert.Equal(DriverState.Disabled, again.Status.State);
    }

    [Fact]
    public async Task Merge_patch_null_removes_a_field_and_name_cannot_change()
    {
        await Catalog.CreateAsync(Hetzner() with { Checksum = new string('a', 64) });

        var patched = await Catalog.PatchAsync("hetzner", JsonNode.Parse("""{"checksum":null}"""));
        var rename = await Assert.ThrowsAsync<DriverValidationException>(
            () => Catalog.PatchAsync("hetzner", JsonNode.Parse("""{"name":"other"}""")));

        Assert.Null(patched.Spec.Checksum);
        Assert.Contains("name", rename.Errors.Keys);
    }

    [Fact]
    public async Task List_filters_by_kind_active_and_state_on_the_server()
    {
        await Catalog.CreateAsync(Hetzner());
        await Catalog.CreateAsync(Hetzner(active: false) with { Name = "linode" });
        await Catalog.CreateAsync(new DriverSpec { Name = "rke2", Kind = DriverKind.Cluster, Builtin = true, Active = true });

        var active = await Catalog.ListAsync(new DriverQuery { Active = true }).Select(r => r.Name).ToListAsync();
        var clusters = await Catalog.ListAsync(new DriverQuery { Kind = DriverKind.Cluster }).Select(r => r.Name).ToListAsync();
        var disabled = await Catalog.ListAsync(new DriverQuery { State = DriverState.Disabled }).Select(r => r.Name).ToListAsync();

        Assert.Equal(["hetzner", "rke2"], active);
        Assert.Equal(["rke2"], clusters);
        Assert.Equal(["linode", "rke2"], disabled);
    }

    [Fact]
    public async Task Delete_removes_the_record_and_a_second_delete_is_not_found()
    {
        await Catalog.CreateAsync(Hetzner());

        await Catalog.DeleteAsync("hetzner");

        Assert.Null(await Catalog.FindAsync("hetzner"));
        await Assert.ThrowsAsync<DriverNotFoundException>(() => Catalog.DeleteAsync("hetzner"));
    }

    [Fact]
    public async Task Status_update_for_an_older_generation_is_discarded()
    {
        var created = await Catalog.CreateAsync(Hetzner());
        await Catalog.PatchAsync("hetzner", JsonNode.Parse("""{"description":"edited during sync"}"""));

        var result = await Catalog.UpdateStatusAsync("hetzner", created.Generation, s => s with { State = DriverState.Ready });

        Assert.Null(result);
        var read = await Catalog.GetAsync("hetzner");
        Assert.Equal(DriverState.Pending, read.Status.State);
        Assert.Equal("edited during sync", read.Spec.Description);
    }
}
