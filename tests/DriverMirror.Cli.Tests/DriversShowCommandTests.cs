using System.Text.Json.Nodes;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Tests;

public sealed class DriversShowCommandTests : CliTestBase
{
    [Fact]
    // See Json_list_holds_every_stored_record_in_the_shared_driver_json_shape: DriverJson.ToJson, which the API also writes.
    public async Task Show_json_equals_the_stored_record_in_the_shared_driver_json_shape_with_its_status()
    {
        var created = await Catalog.CreateAsync(Hetzner() with
        {
            Platforms = new Dictionary<string, PlatformSource> { ["linux-arm64"] = new() { Url = "https://example.invalid/docker-machine-driver-hetzner_arm64.tar.gz" } },
        });
        await MarkPublishedAsync(created, new string('c', 64));

        var run = await RunAsync("drivers", "show", "hetzner", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var expected = DriverJson.ToJson(await Catalog.GetAsync("hetzner"));
        var actual = JsonNode.Parse(run.Stdout);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual {actual?.ToJsonString()}");
        Assert.Equal(new string('c', 64), actual!["status"]!["artifacts"]!["linux-amd64"]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task Show_prints_spec_and_status_for_people()
    {
        var published = await MarkPublishedAsync(await Catalog.CreateAsync(Hetzner()), new string('d', 64));

        var run = await RunAsync("drivers", "show", "hetzner");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(Row("name", "hetzner", 0), lines);
        Assert.Contains(Row("display name", "Hetzner Cloud", 0), lines);
        Assert.Contains(Row("url", Hetzner().Url!, 0), lines);
        Assert.Contains(Row("checksum", new string('a', 64), 0), lines);
        Assert.Contains(Row("whitelist domains", "api.hetzner.cloud", 0), lines);
        Assert.Contains(Row("state", "ready", 2), lines);
        Assert.Contains("  artifact linux-amd64:", lines);
        Assert.Contains(Row("url", published.Status.Artifacts["linux-amd64"].PublicUrl, 4), lines);
        Assert.Contains(Row("sha256", new string('d', 64), 4), lines);
        Assert.Contains(Row("size", "123,456 bytes", 4), lines);
    }

    /// <summary>A "label: value" line with the value in column 24, as people read it.</summary>
    private static string Row(string label, string value, int indent) => new string(' ', indent) + (label + ":").PadRight(24 - indent) + value;

    [Fact]
    public async Task Show_of_an_unknown_driver_exits_1_with_one_line()
    {
        var run = await RunAsync("drivers", "show", "nosuchdriver");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: Driver 'nosuchdriver' does not exist.", run.SingleErrorLine);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Show_of_an_invalid_name_exits_2_with_one_line()
    {
        var run = await RunAsync("drivers", "show", "Not_A_Name", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: name: 'Not_A_Name' must match ^[a-z0-9][a-z0-9-]{0,62}$", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }
}
