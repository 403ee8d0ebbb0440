using DriverMirror.Catalog;

namespace DriverMirror.Cli.Tests;

public sealed class DriversAddCommandTests : CliTestBase
{
    private const string Url = "https://example.invalid/docker-machine-driver-hetzner_amd64.tar.gz";
    private const string Arm64Url = "https://example.invalid/docker-machine-driver-hetzner_arm64.tar.gz";

    [Fact]
    public async Task Add_creates_an_active_node_driver_with_its_checksums_and_arm64_source()
    {
        var sha = new string('A', 64);
        var arm64Sha = new string('b', 40);

        var run = await RunAsync("drivers", "add", "hetzner", "--url", Url, "--checksum", sha, "--display-name", "Hetzner Cloud",
            "--arm64-url", Arm64Url, "--arm64-checksum", arm64Sha);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Equal("created driver hetzner (node, active, generation 1): pending.", Assert.Single(run.StdoutLines));
        var stored = await Catalog.GetAsync("hetzner");
        Assert.Equal(DriverKind.Node, stored.Spec.Kind);
        Assert.True(stored.Spec.Active);
        Assert.False(stored.Spec.Builtin);
        Assert.Equal(Url, stored.Spec.Url);
        Assert.Equal(sha.ToLowerInvariant(), stored.Spec.Checksum);
        Assert.Equal("Hetzner Cloud", stored.Spec.DisplayName);
        var arm64 = Assert.Single(stored.Spec.Platforms!);
        Assert.Equal("linux-arm64", arm64.Key);
        Assert.Equal(new PlatformSource { Url = Arm64Url, Checksum = arm64Sha }, arm64.Value);
    }

    [Fact]
    public async Task Add_honours_builtin_inactive_kind_and_description()
    {
        var run = await RunAsync("drivers", "add", "rke2", "--url", "local://", "--builtin", "--inactive", "--kind", "cluster", "--description", "Compiled in");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("created driver rke2 (cluster, inactive, generation 1): disabled.", Assert.Single(run.StdoutLines));
        var stored = await Catalog.GetAsync("rke2");
        Assert.Equal(DriverKind.Cluster, stored.Spec.Kind);
        Assert.True(stored.Spec.Builtin);
        Assert.False(stored.Spec.Active);
        Assert.True(stored.Spec.IsLocal);
        Assert.Equal("Compiled in", stored.Spec.Description);
    }

    [Theory]
    [InlineData(new[] { "--url", "ftp://example.invalid/driver.tar.gz" }, "error: url: must be an absolute http or https URL.")]
    [InlineData(new[] { "--url", "https://user:secret@example.invalid/driver.tar.gz" }, "error: url: must not carry credentials (user-info).")]
    [InlineData(new[] { "--url", "local://" }, "error: url: local:// is only valid for a built-in driver.")]
    [InlineData(new[] { "--url", Url, "--checksum", "abc123" }, "error: checksum: must be a hex digest of 32 (md5), 40 (sha1), 64 (sha256) or 128 (sha512) characters.")]
    [InlineData(new[] { "--url", Url, "--arm64-url", "notaurl" }, "error: platforms.linux-arm64.url: must be an absolute http or https URL.")]
    public async Task Add_with_invalid_spec_values_exits_2_with_one_line_and_creates_nothing(string[] options, string expectedError)
    {
        var run = await RunAsync(["drivers", "add", "hetzner", .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expectedError, run.SingleErrorLine);
        Assert.Empty(run.Stdout);
        Assert.Empty(await StoredAsync());
    }

    [Theory]
    [InlineData(new[] { "drivers", "add", "hetzner" }, "error: Option '--url' is required. (see 'drivermirror drivers add --help')")]
    [InlineData(new[] { "drivers", "add", "Hetzner!", "--url", Url }, "error: name: 'Hetzner!' must match ^[a-z0-9][a-z0-9-]{0,62}$ (lower-case letters, digits and dashes, at most 63 characters). (see 'drivermirror drivers add --help')")]
    [InlineData(new[] { "drivers", "add", "hetzner", "--url", Url, "--arm64-checksum", "abcd" }, "error: --arm64-checksum needs --arm64-url. (see 'drivermirror drivers add --help')")]
    [InlineData(new[] { "drivers", "add", "hetzner", "--url", Url, "--kind", "vm" }, "error: Argument 'vm' not recognized. Must be one of: 'node' 'cluster' (see 'drivermirror drivers add --help')")]
    public async Task Add_with_invalid_syntax_exits_2_with_one_line_and_creates_nothing(string[] args, string expectedError)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expectedError, run.SingleErrorLine);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Adding_a_taken_name_exits_1_and_keeps_the_existing_driver()
    {
        var existing = await Catalog.CreateAsync(Hetzner());

        var run = await RunAsync("drivers", "add", "hetzner", "--url", Url, "--inactive");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: Driver 'hetzner' already exists.", run.SingleErrorLine);
        var stored = await Catalog.GetAsync("hetzner");
        Assert.Equal(existing.ETag, stored.ETag);
        Assert.True(stored.Spec.Active);
    }
}
