using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DriverMirror.Testing;

namespace DriverMirror.Cli.Tests;

public sealed class ErrorHandlingTests : CliTestBase
{
    /// <summary>Azurite's well-known development key: what a leaked connection string would show.</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public async Task Unreachable_storage_exits_1_with_one_line_that_hides_the_account_key()
    {
        var port = ClosedLoopbackPort();
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var clock = Stopwatch.StartNew();

        var run = await RunWithStorageAsync(connectionString, "drivers", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: storage unreachable: ", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", run.SingleErrorLine, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(run.Stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_malformed_connection_string_exits_2_without_echoing_it()
    {
        var run = await RunWithStorageAsync($"AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint=not a uri", "drivers", "list");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "error: storage: --storage (or AzureWebJobsStorage) is not a valid storage connection string or identity-based connection.",
            run.SingleErrorLine);
        Assert.DoesNotContain(AccountKey, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_mirror_settings_exit_2_and_name_the_setting()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var settings = new Dictionary<string, string?>(Env.Settings) { ["Mirror:TableName"] = "no_such-table!" };

        var exitCode = await CliApplication.RunAsync(["drivers", "list"], stdout, stderr, settings);

        Assert.Equal(2, exitCode);
        var line = new CliRun(exitCode, "", stderr.ToString()).SingleErrorLine;
        Assert.StartsWith("error: configuration: ", line, StringComparison.Ordinal);
        Assert.Contains("TableName must be a valid table name.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_come_from_extra_settings_when_storage_is_not_given_on_the_command_line()
    {
        await Catalog.CreateAsync(Hetzner());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CliApplication.RunAsync(["drivers", "show", "hetzner", "--json"], stdout, stderr, Env.Settings);

        Assert.Equal(0, exitCode);
        Assert.Contains("\"name\": \"hetzner\"", stdout.ToString(), StringComparison.Ordinal);
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public async Task The_storage_option_is_global_and_works_before_the_command()
    {
        await Catalog.CreateAsync(Hetzner());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var settings = Env.Settings.Where(s => s.Key.StartsWith("Mirror:", StringComparison.Ordinal)).ToDictionary(s => s.Key, s => s.Value);

        var exitCode = await CliApplication.RunAsync(["--storage", AzuriteServer.Shared.ConnectionString, "drivers", "list", "--json"], stdout, stderr, settings);

        Assert.Equal(0, exitCode);
        Assert.Contains("\"name\": \"hetzner\"", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_the_list_is_drawn_as_a_table()
    {
        await Catalog.CreateAsync(Hetzner());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CliApplication.RunAsync(["drivers", "list"], stdout, stderr, interactive: true, Env.Settings, CancellationToken.None);

        Assert.Equal(0, exitCode);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("╭", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("│ hetzner", StringComparison.Ordinal));
        Assert.StartsWith("╰", lines[^1].TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "error: Required command was not provided. (see 'drivermirror --help')")]
    [InlineData(new[] { "drivers" }, "error: Required command was not provided. (see 'drivermirror drivers --help')")]
    [InlineData(new[] { "drivers", "list", "--colour" }, "error: Unrecognized command or argument '--colour'. (see 'drivermirror drivers list --help')")]
    [InlineData(new[] { "sync", "--parallel", "0" }, "error: --parallel must be a whole number from 1 to 64. (see 'drivermirror sync --help')")]
    [InlineData(new[] { "sync", "Bad_Name" }, "error: name: 'Bad_Name' must match ^[a-z0-9][a-z0-9-]{0,62}$ (lower-case letters, digits and dashes, at most 63 characters). (see 'drivermirror sync --help')")]
    public async Task Invalid_syntax_exits_2_with_one_short_line(string[] args, string expectedError)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expectedError, run.SingleErrorLine);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Help_is_printed_to_stdout_with_exit_0()
    {
        var run = await RunAsync("drivers", "add", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("drivermirror drivers add <name> [options]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--arm64-checksum <hex>", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public async Task Verbose_logs_information_to_stderr_and_leaves_stdout_alone()
    {
        var quiet = await RunAsync("drivers", "add", "hetzner", "--url", "https://example.invalid/docker-machine-driver-hetzner.tar.gz");
        var verbose = await RunAsync("drivers", "deactivate", "hetzner", "--verbose");

        Assert.Empty(quiet.Stderr);
        Assert.Equal(0, verbose.ExitCode);
        Assert.Equal("driver hetzner is inactive (generation 2).", Assert.Single(verbose.StdoutLines));
        Assert.Contains("info: DriverMirror.Catalog.DriverCatalog: Updated driver hetzner to generation 2", verbose.StderrLines);
        Assert.DoesNotContain(AccountKey, verbose.Stderr, StringComparison.Ordinal);
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
