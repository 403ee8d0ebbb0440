using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using DriverMirror.Testing;

namespace DriverMirror.Cli.Tests;

/// <summary>
/// <c>drivermirror sync</c> in-process against Azurite and a loopback upstream the test programs: what it publishes,
/// what it prints and how it exits.
/// </summary>
public sealed class SyncCommandTests : CliTestBase, IAsyncLifetime
{
    private static readonly HttpClient Anonymous = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });

    private LoopbackUpstream upstream = null!;

    async Task IAsyncLifetime.InitializeAsync() => upstream = await LoopbackUpstream.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await upstream.DisposeAsync();
        await DisposeAsync();
    }

    [Fact]
    public async Task Sync_publishes_every_active_driver_prints_one_line_each_and_where_the_index_is()
    {
        var hetznerArchive = ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner");
        var linodeArchive = ArchiveBuilder.DriverZip("docker-machine-driver-linode");
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner_linux_amd64.tar.gz", hetznerArchive);
        await AddAsync("linode", "/linode/docker-machine-driver-linode_linux-amd64.zip", linodeArchive);
        await AddAsync("vultr", "/vultr/docker-machine-driver-vultr.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-vultr"), active: false);

        var run = await RunAsync("sync");

        Assert.True(run.ExitCode == 0, run.ToString());
        var container = Env.Storage.Blobs.GetBlobContainerClient(Env.Options.ContainerName).Uri.AbsoluteUri.TrimEnd('/');
        Assert.Equal(
            [
                "hetzner: published " + (await Catalog.GetAsync("hetzner")).Status.Message,
                "linode: published " + (await Catalog.GetAsync("linode")).Status.Message,
                $"web root: {container}/index.html",
                $"index:    {container}/index.json",
                $"rancher:  {container}/rancher/nodedrivers.yaml",
            ],
            run.StdoutLines);
        Assert.Empty(run.Stderr);
        Assert.Equal(0, upstream.RequestCount("/vultr/docker-machine-driver-vultr.tar.gz"));

        // Every printed location is served anonymously, as a browser and Rancher would fetch it.
        foreach (var line in run.StdoutLines.Where(l => l.Contains("http://", StringComparison.Ordinal)))
        {
            using var response = await Anonymous.GetAsync(new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..]));
            Assert.True(response.IsSuccessStatusCode, $"{line}: {(int)response.StatusCode}");
        }

        // What the printed index says is what Rancher would download, byte for byte.
        var index = JsonNode.Parse(await Anonymous.GetStringAsync(new Uri($"{container}/index.json")))!;
        var drivers = index["drivers"]!.AsArray().ToDictionary(d => d!["name"]!.GetValue<string>());
        foreach (var (name, archive) in new[] { ("hetzner", hetznerArchive), ("linode", linodeArchive) })
        {
            var artifact = Assert.Single(drivers[name]!["artifacts"]!.AsArray())!;
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(archive)), artifact["sha256"]!.GetValue<string>());
            Assert.Equal(archive, await Anonymous.GetByteArrayAsync(new Uri(artifact["url"]!.GetValue<string>())));
        }
    }

    [Fact]
    public async Task Sync_exits_1_when_one_driver_fails_and_still_publishes_the_others()
    {
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner"));
        await Catalog.CreateAsync(new DriverSpec { Name = "linode", Url = upstream.UrlFor("/linode/driver.zip").AbsoluteUri, Active = true });
        upstream.Serve("/linode/driver.zip", "<html><body>Sign in</body></html>"u8.ToArray(), contentType: "text/html");

        var run = await RunAsync("sync");

        Assert.Equal(1, run.ExitCode);
        var failed = Assert.Single(run.StdoutLines, l => l.StartsWith("linode:", StringComparison.Ordinal));
        Assert.StartsWith("linode: failed ", failed, StringComparison.Ordinal);
        Assert.Contains("HTML", failed, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(DriverState.Failed, (await Catalog.GetAsync("linode")).Status.State);
        Assert.Equal(DriverState.Ready, (await Catalog.GetAsync("hetzner")).Status.State);
    }

    [Fact]
    public async Task Sync_with_names_syncs_only_those_drivers()
    {
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner"));
        await AddAsync("linode", "/linode/docker-machine-driver-linode.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-linode"));

        var run = await RunAsync("sync", "linode", "--parallel", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("linode: published", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(run.StdoutLines, l => l.StartsWith("hetzner", StringComparison.Ordinal));
        Assert.Equal(0, upstream.RequestCount("/hetzner/docker-machine-driver-hetzner.tar.gz"));
        Assert.Equal(DriverState.Pending, (await Catalog.GetAsync("hetzner")).Status.State);
        Assert.Equal(DriverState.Ready, (await Catalog.GetAsync("linode")).Status.State);
    }

    [Fact]
    public async Task Second_sync_reports_unchanged_and_downloads_nothing()
    {
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner"), etag: "\"v1\"");
        Assert.Equal(0, (await RunAsync("sync")).ExitCode);

        var run = await RunAsync("sync", "hetzner");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("hetzner: unchanged", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.Equal(1, upstream.DownloadCount("/hetzner/docker-machine-driver-hetzner.tar.gz"));
    }

    [Fact]
    public async Task Sync_of_a_driver_that_does_not_exist_exits_1_and_says_so()
    {
        var run = await RunAsync("sync", "nosuchdriver");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("nosuchdriver: failed Driver 'nosuchdriver' does not exist.", run.StdoutLines[0]);
    }

    [Fact]
    public async Task Sync_with_no_active_drivers_says_so_and_exits_0()
    {
        await AddAsync("vultr", "/vultr/docker-machine-driver-vultr.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-vultr"), active: false);

        var run = await RunAsync("sync");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Nothing to sync: no active drivers.", run.StdoutLines[0]);
        Assert.Equal(0, upstream.TotalRequests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("four")]
    public async Task Sync_refuses_a_bad_parallel_value_with_exit_2_and_one_line(string value)
    {
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner"));

        var run = await RunAsync("sync", "--parallel", value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --parallel must be a whole number from 1 to 64.", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Equal(0, upstream.TotalRequests);
    }

    [Fact]
    public async Task Sync_refuses_an_invalid_driver_name_with_exit_2()
    {
        var run = await RunAsync("sync", "Not_A_Name");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Contains("Not_A_Name", run.SingleErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_honours_allowed_networks_from_the_environment_shape_of_settings()
    {
        // Without 127.0.0.1 in Mirror:AllowedNetworks the egress guard must refuse the loopback upstream.
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner"));
        var settings = Env.Settings.Where(s => s.Key != StorageClients.DefaultSettingName).ToDictionary(s => s.Key, s => s.Value);
        settings["Mirror:AllowedNetworks"] = string.Empty;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CliApplication.RunAsync(["sync", "--storage", AzuriteServer.Shared.ConnectionString], stdout, stderr, settings);

        Assert.Equal(1, exitCode);
        Assert.Contains("hetzner: failed", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, upstream.TotalRequests);
        Assert.Equal(DriverState.Failed, (await Catalog.GetAsync("hetzner")).Status.State);
    }

    [Fact]
    public async Task Drivers_show_json_carries_the_status_a_sync_wrote()
    {
        var archive = ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner");
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner_linux_amd64.tar.gz", archive);
        Assert.Equal(0, (await RunAsync("sync", "hetzner")).ExitCode);

        var run = await RunAsync("drivers", "show", "hetzner", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var status = JsonNode.Parse(run.Stdout)!["status"]!;
        Assert.Equal("ready", status["state"]!.GetValue<string>());
        var artifact = status["artifacts"]!["linux-amd64"]!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(archive)), artifact["sha256"]!.GetValue<string>());
        Assert.Equal("docker-machine-driver-hetzner_linux_amd64.tar.gz", artifact["fileName"]!.GetValue<string>());
        Assert.Equal(archive, await Anonymous.GetByteArrayAsync(new Uri(artifact["publicUrl"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Interactive_sync_draws_a_result_table_and_still_exits_by_result()
    {
        await AddAsync("hetzner", "/hetzner/docker-machine-driver-hetzner.tar.gz", ArchiveBuilder.DriverTarGz("docker-machine-driver-hetzner"));
        var settings = Env.Settings.Where(s => s.Key != StorageClients.DefaultSettingName).ToDictionary(s => s.Key, s => s.Value);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CliApplication.RunAsync(
            ["sync", "--storage", AzuriteServer.Shared.ConnectionString], stdout, stderr, interactive: true, settings, CancellationToken.None);

        Assert.True(exitCode == 0, stderr.ToString());
        Assert.Contains("DRIVER", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("published", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(DriverState.Ready, (await Catalog.GetAsync("hetzner")).Status.State);
    }

    private async Task AddAsync(string name, string path, byte[] archive, bool active = true, string? etag = null)
    {
        upstream.Serve(path, archive, etag: etag);
        await Catalog.CreateAsync(new DriverSpec { Name = name, Url = upstream.UrlFor(path).AbsoluteUri, Active = active });
    }
}
