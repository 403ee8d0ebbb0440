
namespace DriverMirror.Cli.Tests;

public sealed class DriversSetCommandTests : CliTestBase
{
    [Fact]
    public async Task Set_changes_the_given_fields_and_bumps_the_generation_once()
    {
        await Catalog.CreateAsync(Hetzner());
        var newUrl = "https://example.invalid/docker-machine-driver-hetzner_6.0.0_linux_amd64.tar.gz";
        var newChecksum = new string('e', 128);

        var run = await RunAsync("drivers", "set", "hetzner", "--url", newUrl, "--checksum", newChecksum, "--display-name", "Hetzner", "--description", "Cloud servers");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("updated driver hetzner to generation 2.", Assert.Single(run.StdoutLines));
        var stored = await Catalog.GetAsync("hetzner");
        Assert.Equal(2, stored.Generation);
        Assert.Equal(newUrl, stored.Spec.Url);
        Assert.Equal(newChecksum, stored.Spec.Checksum);
        Assert.Equal("Hetzner", stored.Spec.DisplayName);
        Assert.Equal("Cloud servers", stored.Spec.Description);
        Assert.Equal(["api.hetzner.cloud"], stored.Spec.WhitelistDomains!);
        Assert.True(stored.Spec.Active);
    }

    [Fact]
    public async Task Set_with_empty_values_clears_the_optional_fields()
    {
        await Catalog.CreateAsync(Hetzner() with { Description = "to be cleared" });

        var run = await RunAsync("drivers", "set", "hetzner", "--checksum", "", "--display-name", "", "--description", "");

        Assert.Equal(0, run.ExitCode);
        var stored = await Catalog.GetAsync("hetzner");
        Assert.Null(stored.Spec.Checksum);
        Assert.Null(stored.Spec.DisplayName);
        Assert.Null(stored.Spec.Description);
        Assert.Equal(Hetzner().Url, stored.Spec.Url);
    }

    [Fact]
    public async Task Ui_url_is_set_by_add_changed_by_set_and_removed_by_an_empty_value()
    {
        var added = await RunAsync("drivers", "add", "pnap", "--url", "https://example.invalid/docker-machine-driver-pnap.zip", "--ui-url", "https://ui.example.invalid/v1/component.js");
        Assert.Equal(0, added.ExitCode);
        Assert.Equal("https://ui.example.invalid/v1/component.js", (await Catalog.GetAsync("pnap")).Spec.UiUrl);

        var changed = await RunAsync("drivers", "set", "pnap", "--ui-url", "https://ui.example.invalid/v2/component.js");
        Assert.Equal(0, changed.ExitCode);
        Assert.Equal("https://ui.example.invalid/v2/component.js", (await Catalog.GetAsync("pnap")).Spec.UiUrl);

        var invalid = await RunAsync("drivers", "set", "pnap", "--ui-url", "javascript:alert(1)");
        Assert.Equal(2, invalid.ExitCode);
        Assert.Equal("error: uiUrl: must be an absolute http or https URL.", Assert.Single(invalid.StderrLines));

        var removed = await RunAsync("drivers", "set", "pnap", "--ui-url", "");
        Assert.Equal(0, removed.ExitCode);
        var stored = await Catalog.GetAsync("pnap");
        Assert.Null(stored.Spec.UiUrl);
        Assert.Equal(3, stored.Generation);
    }

    [Fact]
    public async Task Set_to_the_current_values_reports_unchanged_and_writes_nothing()
    {
        var created = await Catalog.CreateAsync(Hetzner());

        var run = await RunAsync("drivers", "set", "hetzner", "--display-name", "Hetzner Cloud");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("driver hetzner unchanged (generation 1).", Assert.Single(run.StdoutLines));
        Assert.Equal(created.ETag, (await Catalog.GetAsync("hetzner")).ETag);
    }

    [Theory]
    [InlineData("--checksum", "xyz", "error: checksum: must be a hex digest of 32 (md5), 40 (sha1), 64 (sha256) or 128 (sha512) characters.")]
    [InlineData("--url", "", "error: url: is required for an external driver.")]
    [InlineData("--url", "http:/relative", "error: url: must be an absolute http or https URL.")]
    public async Task Set_with_an_invalid_value_exits_2_with_one_line_and_changes_nothing(string option, string value, string expectedError)
    {
        var created = await Catalog.CreateAsync(Hetzner());

        var run = await RunAsync("drivers", "set", "hetzner", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expectedError, run.SingleErrorLine);
        var stored = await Catalog.GetAsync("hetzner");
        Assert.Equal(created.ETag, stored.ETag);
        Assert.Equal(created.Spec, stored.Spec with { WhitelistDomains = created.Spec.WhitelistDomains });
    }

    [Fact]
    public async Task Set_without_any_field_exits_2()
    {
        var run = await RunAsync("drivers", "set", "hetzner");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "error: nothing to change: give at least one of --url, --checksum, --display-name, --description, --ui-url. (see 'drivermirror drivers set --help')",
            run.SingleErrorLine);
    }

    [Fact]
    public async Task Set_on_an_unknown_driver_exits_1_and_creates_nothing()
    {
        var run = await RunAsync("drivers", "set", "ghost", "--display-name", "Ghost");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: Driver 'ghost' does not exist.", run.SingleErrorLine);
        Assert.Empty(await StoredAsync());
    }
}
