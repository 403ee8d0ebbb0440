using System.Text.Json.Nodes;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Tests;

public sealed class DriversListCommandTests : CliTestBase
{
    private async Task SeedAsync()
    {
        await Catalog.CreateAsync(Hetzner());
        await Catalog.CreateAsync(new DriverSpec { Name = "linode", Url = "https://example.invalid/docker-machine-driver-linode.zip", Active = false });
        await Catalog.CreateAsync(new DriverSpec { Name = "aks", Kind = DriverKind.Cluster, Url = "https://example.invalid/kontainer-engine-driver-aks", Active = true });
    }

    [Fact]
    public async Task Plain_list_prints_a_header_and_one_padded_row_per_driver_in_name_order()
    {
        await SeedAsync();

        var run = await RunAsync("drivers", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Equal(4, run.StdoutLines.Count);
        Assert.Equal(["NAME", "KIND", "BUILTIN", "ACTIVE", "STATE", "URL", "SHA256"], Cells(run.StdoutLines[0]));
        Assert.Equal(["aks", "cluster", "no", "yes", "pending", "https://example.invalid/kontainer-engine-driver-aks", "-"], Cells(run.StdoutLines[1]));
        Assert.Equal(["hetzner", "node", "no", "yes", "pending", Hetzner().Url!, "aaaaaaaaaaaa"], Cells(run.StdoutLines[2]));
        Assert.Equal(["linode", "node", "no", "no", "disabled", "https://example.invalid/docker-machine-driver-linode.zip", "-"], Cells(run.StdoutLines[3]));
        Assert.DoesNotContain('│', run.Stdout);
        Assert.DoesNotContain('\u001b', run.Stdout);
    }

    [Fact]
    public async Task A_published_driver_lists_its_mirror_url_and_published_sha256()
    {
        var record = await Catalog.CreateAsync(Hetzner());
        var sha256 = "0123456789abcdef" + new string('f', 48);
        var published = await MarkPublishedAsync(record, sha256);

        var run = await RunAsync("drivers", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            ["hetzner", "node", "no", "yes", "ready", published.Status.Artifacts[DriverSpec.DefaultPlatform].PublicUrl, "0123456789ab"],
            Cells(run.StdoutLines[1]));
    }

    [Fact]
    // DriverJson.ToJson is the shape, not the HTTP function's output: the API writes records with the same method
    // (DriverResults.Record/List), and the CLI tests do not reference the Functions app.
    public async Task Json_list_holds_every_stored_record_in_the_shared_driver_json_shape()
    {
        await SeedAsync();
        await MarkPublishedAsync(await Catalog.GetAsync("hetzner"), new string('b', 64));

        var run = await RunAsync("drivers", "list", "--json");

        Assert.Equal(0, run.ExitCode);
        var drivers = Assert.IsType<JsonArray>(JsonNode.Parse(run.Stdout)!["drivers"]);
        var expected = new JsonArray((await StoredAsync()).Select(r => (JsonNode)DriverJson.ToJson(r)).ToArray());
        Assert.True(JsonNode.DeepEquals(expected, drivers), $"expected {expected.ToJsonString()}\nactual {drivers.ToJsonString()}");
        Assert.Equal("ready", drivers[1]!["status"]!["state"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(new[] { "--kind", "cluster" }, new[] { "aks" })]
    [InlineData(new[] { "--kind", "node" }, new[] { "hetzner", "linode" })]
    [InlineData(new[] { "--active", "false" }, new[] { "linode" })]
    [InlineData(new[] { "--active", "true", "--kind", "node" }, new[] { "hetzner" })]
    [InlineData(new[] { "--state", "disabled" }, new[] { "linode" })]
    [InlineData(new[] { "--state", "ready" }, new string[0])]
    public async Task Filters_select_drivers_on_the_server(string[] filters, string[] expectedNames)
    {
        await SeedAsync();

        var run = await RunAsync(["drivers", "list", "--json", .. filters]);

        Assert.Equal(0, run.ExitCode);
        var names = JsonNode.Parse(run.Stdout)!["drivers"]!.AsArray().Select(d => d!["name"]!.GetValue<string>());
        Assert.Equal(expectedNames, names);
    }

    [Fact]
    public async Task An_empty_catalog_lists_no_drivers()
    {
        var plain = await RunAsync("drivers", "list");
        var json = await RunAsync("drivers", "list", "--json");

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal("No drivers.", Assert.Single(plain.StdoutLines));
        Assert.Equal(0, json.ExitCode);
        Assert.Empty(JsonNode.Parse(json.Stdout)!["drivers"]!.AsArray());
    }

    [Theory]
    [InlineData("--kind", "vm", "error: Argument 'vm' not recognized. Must be one of: 'node' 'cluster' (see 'drivermirror drivers list --help')")]
    [InlineData("--active", "maybe", "error: Argument 'maybe' not recognized. Must be one of: 'true' 'false' (see 'drivermirror drivers list --help')")]
    [InlineData("--state", "broken", "error: Argument 'broken' not recognized. Must be one of: 'pending' 'syncing' 'ready' 'failed' 'disabled' (see 'drivermirror drivers list --help')")]
    public async Task A_bad_filter_value_exits_2_with_one_line(string option, string value, string expectedError)
    {
        var run = await RunAsync("drivers", "list", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expectedError, run.SingleErrorLine);
        Assert.Empty(run.Stdout);
    }

    private static string[] Cells(string line) => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
