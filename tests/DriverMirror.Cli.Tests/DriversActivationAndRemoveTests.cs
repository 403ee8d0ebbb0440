using DriverMirror.Catalog;

namespace DriverMirror.Cli.Tests;

public sealed class DriversActivationAndRemoveTests : CliTestBase
{
    [Fact]
    public async Task Deactivate_then_activate_round_trips_the_active_flag_and_state()
    {
        await Catalog.CreateAsync(Hetzner());

        var deactivate = await RunAsync("drivers", "deactivate", "hetzner");
        var afterDeactivate = await Catalog.GetAsync("hetzner");
        var activate = await RunAsync("drivers", "activate", "hetzner");
        var afterActivate = await Catalog.GetAsync("hetzner");

        Assert.Equal(0, deactivate.ExitCode);
        Assert.Equal("driver hetzner is inactive (generation 2).", Assert.Single(deactivate.StdoutLines));
        Assert.False(afterDeactivate.Spec.Active);
        Assert.Equal(DriverState.Disabled, afterDeactivate.Status.State);
        Assert.Equal(0, activate.ExitCode);
        Assert.Equal("driver hetzner is active (generation 3).", Assert.Single(activate.StdoutLines));
        Assert.True(afterActivate.Spec.Active);
        Assert.Equal(DriverState.Pending, afterActivate.Status.State);
        Assert.Equal(afterDeactivate.Spec with { Active = true, WhitelistDomains = null }, afterActivate.Spec with { WhitelistDomains = null });
    }

    [Fact]
    public async Task Activating_an_active_driver_changes_nothing()
    {
        var created = await Catalog.CreateAsync(Hetzner());

        var run = await RunAsync("drivers", "activate", "hetzner");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("driver hetzner is active (generation 1).", Assert.Single(run.StdoutLines));
        Assert.Equal(created.ETag, (await Catalog.GetAsync("hetzner")).ETag);
    }

    [Fact]
    public async Task Remove_deletes_the_record_and_show_then_exits_1()
    {
        await Catalog.CreateAsync(Hetzner());
        await Catalog.CreateAsync(Hetzner() with { Name = "hetzner2" });

        var remove = await RunAsync("drivers", "remove", "hetzner");
        var show = await RunAsync("drivers", "show", "hetzner");

        Assert.Equal(0, remove.ExitCode);
        Assert.Equal("removed driver hetzner; its published artifacts stay in the web root.", Assert.Single(remove.StdoutLines));
        Assert.Equal(["hetzner2"], (await StoredAsync()).Select(r => r.Name));
        Assert.Equal(1, show.ExitCode);
        Assert.Equal("error: Driver 'hetzner' does not exist.", show.SingleErrorLine);
    }

    [Theory]
    [InlineData("activate")]
    [InlineData("deactivate")]
    [InlineData("remove")]
    public async Task An_unknown_driver_exits_1_with_one_line(string verb)
    {
        await Catalog.CreateAsync(Hetzner());

        var run = await RunAsync("drivers", verb, "ghost");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: Driver 'ghost' does not exist.", run.SingleErrorLine);
        Assert.Equal(["hetzner"], (await StoredAsync()).Select(r => r.Name));
    }

    [Theory]
    [InlineData("activate")]
    [InlineData("deactivate")]
    [InlineData("remove")]
    public async Task An_invalid_name_exits_2_before_touching_storage(string verb)
    {
        var created = await Catalog.CreateAsync(Hetzner());

        var run = await RunAsync("drivers", verb, "HETZNER");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: name: 'HETZNER' must match ", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Equal(created.ETag, (await Catalog.GetAsync("hetzner")).ETag);
    }
}
