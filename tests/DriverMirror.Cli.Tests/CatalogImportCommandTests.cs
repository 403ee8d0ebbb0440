using DriverMirror.Catalog;

namespace DriverMirror.Cli.Tests;

public sealed class CatalogImportCommandTests : CliTestBase
{
    [Theory]
    [InlineData("rancher-1.6")]
    [InlineData("rancher-2")]
    public async Task Importing_a_builtin_catalog_twice_creates_every_driver_once_then_reports_all_unchanged(string catalogName)
    {
        var expected = CatalogDocument.LoadBuiltIn(catalogName).Drivers.Count;

        var first = await RunAsync("catalog", "import", catalogName);
        var afterFirst = await StoredAsync();
        var second = await RunAsync("catalog", "import", catalogName);
        var afterSecond = await StoredAsync();

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"catalog {catalogName}: {expected} created, 0 unchanged, 0 kept, 0 overwritten.", Assert.Single(first.StdoutLines));
        Assert.Equal(0, second.ExitCode);
        Assert.Equal($"catalog {catalogName}: 0 created, {expected} unchanged, 0 kept, 0 overwritten.", Assert.Single(second.StdoutLines));
        Assert.Empty(second.Stderr);
        Assert.Equal(expected, afterSecond.Count);
        Assert.Equal(afterFirst.Select(r => (r.Name, r.ETag, r.Generation)), afterSecond.Select(r => (r.Name, r.ETag, r.Generation)));
    }

    [Fact]
    public async Task Importing_both_catalogs_again_writes_nothing()
    {
        Assert.Equal(0, (await RunAsync("catalog", "import", "rancher-1.6")).ExitCode);
        Assert.Equal(0, (await RunAsync("catalog", "import", "rancher-2")).ExitCode);
        var before = await StoredAsync();

        var again16 = await RunAsync("catalog", "import", "rancher-1.6");
        var again2 = await RunAsync("catalog", "import", "rancher-2");

        Assert.Equal(0, again16.ExitCode);
        Assert.Equal(0, again2.ExitCode);
        Assert.Contains(" 0 created,", again16.Stdout, StringComparison.Ordinal);
        Assert.Contains(" 0 created,", again2.Stdout, StringComparison.Ordinal);
        Assert.Contains(" 0 overwritten.", again2.Stdout, StringComparison.Ordinal);
        var after = await StoredAsync();
        Assert.Equal(before.Select(r => (r.Name, r.ETag)), after.Select(r => (r.Name, r.ETag)));
    }

    [Fact]
    public async Task An_edited_driver_is_kept_unless_overwrite_is_given()
    {
        await RunAsync("catalog", "import", "rancher-2");
        var catalogSpec = (await Catalog.GetAsync("digitalocean")).Spec;
        Assert.Equal(0, (await RunAsync("drivers", "set", "digitalocean", "--display-name", "Our DO")).ExitCode);

        var kept = await RunAsync("catalog", "import", "rancher-2");
        var afterKept = await Catalog.GetAsync("digitalocean");
        var overwritten = await RunAsync("catalog", "import", "rancher-2", "--overwrite");
        var afterOverwrite = await Catalog.GetAsync("digitalocean");

        Assert.Equal(0, kept.ExitCode);
        Assert.Contains(" 1 kept, 0 overwritten.", kept.StdoutLines[0], StringComparison.Ordinal);
        Assert.Equal("kept as edited (--overwrite replaces them): digitalocean", kept.StdoutLines[1]);
        Assert.Equal("Our DO", afterKept.Spec.DisplayName);

        Assert.Equal(0, overwritten.ExitCode);
        Assert.Contains(" 0 kept, 1 overwritten.", overwritten.StdoutLines[0], StringComparison.Ordinal);
        Assert.Equal("overwritten: digitalocean", overwritten.StdoutLines[1]);
        Assert.Equal(catalogSpec.DisplayName, afterOverwrite.Spec.DisplayName);
        Assert.Equal(afterKept.Generation + 1, afterOverwrite.Generation);
    }

    [Fact]
    public async Task A_catalog_file_is_imported_by_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            { "catalog": "ours", "drivers": [
              { "name": "hetzner", "active": true, "url": "https://example.invalid/docker-machine-driver-hetzner.tar.gz" },
              { "name": "linode", "active": false, "url": "https://example.invalid/docker-machine-driver-linode.zip" }
            ] }
            """);
        try
        {
            var run = await RunAsync("catalog", "import", path);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal("catalog ours: 2 created, 0 unchanged, 0 kept, 0 overwritten.", Assert.Single(run.StdoutLines));
            Assert.Equal(["hetzner", "linode"], (await StoredAsync()).Select(r => r.Name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_unknown_catalog_name_exits_2_with_one_line_and_writes_nothing()
    {
        var run = await RunAsync("catalog", "import", "rancher-3");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: name: unknown catalog 'rancher-3'; known: rancher-1.6, rancher-2.", run.SingleErrorLine);
        Assert.Empty(run.Stdout);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task A_missing_file_exits_2_with_one_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        var run = await RunAsync("catalog", "import", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: catalog: cannot read '{path}': no such file.", run.SingleErrorLine);
        Assert.Empty(await StoredAsync());
    }

    [Theory]
    [InlineData("""{ "drivers": [ { "name": "good", "url": "https://example.invalid/a.tar.gz" }, { "name": "bad", "url": "ftp://example.invalid/b.tar.gz" } ] }""", "error: drivers[1].url: must be an absolute http or https URL.")]
    [InlineData("this is not json", "error: body: is not valid JSON:")]
    [InlineData("""{ "catalog": "x" }""", "error: drivers: a catalog is a JSON object with a 'drivers' array.")]
    [InlineData("""{ "drivers": [ { "name": "good", "url": "https://example.invalid/a.tar.gz" }, { "name": "twice", "url": "https://example.invalid/a.tar.gz", "url": "https://example.invalid/b.tar.gz" } ] }""", "error: body: is not valid JSON: Duplicate property 'url'")]
    [InlineData("""{ "drivers": [ { "name": "good", "url": "https://example.invalid/a.tar.gz" }, { "name": "odd", "url": "https://example.invalid/b.tar.gz", "displayName": "\ud800" } ] }""", "error: drivers[1].displayName: holds text that is not valid Unicode")]
    [InlineData("""{ "drivers": [ { "name": "good", "url": "https://example.invalid/a.tar.gz" }, { "name": "both", "kind": "node, cluster", "url": "https://example.invalid/b.tar.gz" } ] }""", "error: drivers[1].kind: must be one of node, cluster.")]
    [InlineData("""{ "drivers": [ { "name": "good", "url": "https://example.invalid/a.tar.gz" }, { "name": "spaced", "url": "https://example.invalid/a b.tar.gz" } ] }""", "error: drivers[1].url: must not contain whitespace")]
    public async Task An_invalid_catalog_file_exits_2_with_one_line_and_imports_nothing(string content, string expectedError)
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, content);
        try
        {
            var run = await RunAsync("catalog", "import", path);

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith(expectedError, run.SingleErrorLine, StringComparison.Ordinal);
            Assert.Empty(await StoredAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
