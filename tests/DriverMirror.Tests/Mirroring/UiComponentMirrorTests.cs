using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Rancher;
using DriverMirror.Testing;

namespace DriverMirror.Tests.Mirroring;

public sealed class UiComponentMirrorTests : IAsyncLifetime
{
    private const string ReleasePath = "/releases/v1/docker-machine-driver-test_1.0.0_linux_amd64.tar.gz";
    private const string ScriptPath = "/ui/v1.2.0/component.js";
    private const string StylesheetPath = "/ui/v1.2.0/component.css";
    private static readonly byte[] Script = Encoding.UTF8.GetBytes("define('nodes/components/driver-test/component', [], function () { /* ünïcode */ });\n");
    private static readonly byte[] Stylesheet = Encoding.UTF8.GetBytes(".machine-driver.test { background-image: url(test.svg); }\n");
    private MirrorFixture f = null!;

    public async Task InitializeAsync() => f = await MirrorFixture.StartAsync();

    public async Task DisposeAsync() => await f.DisposeAsync();

    private async Task AddDriverWithUiAsync(string name, string uiPath)
    {
        f.Upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz());
        await f.Catalog.CreateAsync(new DriverSpec { Name = name, Active = true, Url = f.Upstream.UrlFor(ReleasePath).AbsoluteUri, UiUrl = f.Upstream.UrlFor(uiPath).AbsoluteUri });
    }

    [Fact]
    public async Task Sync_publishes_the_ui_script_and_its_stylesheet_side_by_side_for_anonymous_browsers()
    {
        f.Upstream.Serve(ScriptPath, Script, etag: "\"js1\"", contentType: "application/javascript");
        f.Upstream.Serve(StylesheetPath, Stylesheet, contentType: "text/css");
        await AddDriverWithUiAsync("test", ScriptPath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Published, outcome.Result);
        Assert.Equal("Published linux-amd64, ui.", outcome.Message);
        var ui = Assert.IsType<MirroredUi>(outcome.Record!.Status.Ui);
        Assert.Equal((MirrorFixture.Sha256(Script), Script.LongLength, "component.js"), (ui.Sha256, ui.Size, ui.FileName));
        Assert.Equal(MirrorFixture.Sha256(Stylesheet), ui.StylesheetSha256);
        Assert.Matches("^test/ui/[0-9a-f]{64}/component.js$", ui.BlobPath);

        // Rancher's UI loads the script and, beside it, the same name with .css.
        Assert.Equal(ui.PublicUrl[..^".js".Length] + ".css", ui.StylesheetUrl);
        using var script = await MirrorFixture.Anonymous.GetAsync(ui.PublicUrl);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Empty(script.Content.Headers.ContentEncoding);
        Assert.Equal(Script, await script.Content.ReadAsByteArrayAsync());
        using var stylesheet = await MirrorFixture.Anonymous.GetAsync(ui.StylesheetUrl);
        Assert.Equal("text/css", stylesheet.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Stylesheet, await stylesheet.Content.ReadAsByteArrayAsync());

        // The index and the manifests point at the mirrored copy, never at the upstream.
        var index = JsonNode.Parse(await MirrorFixture.Anonymous.GetStringAsync(f.WebRoot.Uri + "/index.json"))!;
        var listed = index["drivers"]!.AsArray().Single(d => (string?)d!["name"] == "test")!;
        Assert.Equal(ui.PublicUrl, (string?)listed["ui"]!["url"]);
        Assert.Equal(ui.StylesheetUrl, (string?)listed["ui"]!["stylesheetUrl"]);
        var page = await MirrorFixture.Anonymous.GetStringAsync(f.WebRoot.Uri + "/index.html");
        Assert.Contains($"<a href=\"{ui.PublicUrl}\">component.js</a> + <a href=\"{ui.StylesheetUrl}\">stylesheet</a>", page, StringComparison.Ordinal);
        var manifest = await MirrorFixture.Anonymous.GetStringAsync(f.WebRoot.Uri + "/rancher/nodedrivers.yaml");
        Assert.Contains($"uiUrl: {ui.PublicUrl}", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain(ScriptPath, manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ui_component_without_a_stylesheet_is_published_alone()
    {
        f.Upstream.Serve(ScriptPath, Script);
        await AddDriverWithUiAsync("test", ScriptPath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Published, outcome.Result);
        var ui = outcome.Record!.Status.Ui!;
        Assert.Null(ui.StylesheetUrl);
        Assert.Equal(1, f.Upstream.RequestCount(StylesheetPath));
        Assert.Equal([ui.BlobPath], await f.BlobsUnderAsync("test/ui/"));
    }

    [Fact]
    public async Task An_unchanged_ui_component_is_revalidated_and_not_downloaded_again()
    {
        f.Upstream.Serve(ScriptPath, Script, etag: "\"js1\"");
        f.Upstream.Serve(StylesheetPath, Stylesheet);
        await AddDriverWithUiAsync("test", ScriptPath);
        var first = await f.Mirror.SyncAsync("test");

        var second = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Unchanged, second.Result);
        Assert.Equal(first.Record!.Status.Ui, second.Record!.Status.Ui);
        Assert.Equal(2, f.Upstream.RequestCount(ScriptPath));
        Assert.Equal(1, f.Upstream.DownloadCount(ScriptPath));
        Assert.Equal("\"js1\"", f.Upstream.LastRequestHeaders(ScriptPath)!["If-None-Match"]);
    }

    [Fact]
    public async Task The_same_ui_bytes_under_a_new_etag_are_downloaded_but_not_published_again()
    {
        f.Upstream.Serve(ScriptPath, Script, etag: "\"js1\"");
        f.Upstream.Serve(StylesheetPath, Stylesheet);
        await AddDriverWithUiAsync("test", ScriptPath);
        var first = await f.Mirror.SyncAsync("test");
        var committed = await f.WebRoot.GetBlobClient(first.Record!.Status.Ui!.BlobPath).GetPropertiesAsync();

        f.Upstream.Serve(ScriptPath, Script, etag: "\"js2\"");
        var second = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Unchanged, second.Result);
        Assert.Equal(2, f.Upstream.DownloadCount(ScriptPath));
        var ui = second.Record!.Status.Ui!;
        Assert.Equal((first.Record.Status.Ui.BlobPath, "\"js2\""), (ui.BlobPath, ui.UpstreamEtag));
        Assert.False(second.Record.Status.UpstreamChanged);
        Assert.Equal(committed.Value.ETag, (await f.WebRoot.GetBlobClient(ui.BlobPath).GetPropertiesAsync()).Value.ETag);
        Assert.Equal(2, (await f.BlobsUnderAsync("test/ui/")).Count);
    }

    [Fact]
    public async Task New_ui_bytes_at_the_same_url_get_a_new_url_keep_the_old_one_and_flag_the_change()
    {
        f.Upstream.Serve(ScriptPath, Script, etag: "\"js1\"");
        await AddDriverWithUiAsync("test", ScriptPath);
        var first = await f.Mirror.SyncAsync("test");

        var swapped = Encoding.UTF8.GetBytes("define('nodes/components/driver-test/component', [], function () { steal(); });\n");
        f.Upstream.Serve(ScriptPath, swapped, etag: "\"js2\"");
        var second = await f.Mirror.SyncAsync("test");

        Assert.Equal(SyncResult.Published, second.Result);
        Assert.True(second.Record!.Status.UpstreamChanged);
        Assert.NotEqual(first.Record!.Status.Ui!.PublicUrl, second.Record.Status.Ui!.PublicUrl);
        Assert.Equal(Script, await MirrorFixture.Anonymous.GetByteArrayAsync(first.Record.Status.Ui.PublicUrl));
        Assert.Equal(swapped, await MirrorFixture.Anonymous.GetByteArrayAsync(second.Record.Status.Ui.PublicUrl));
    }

    public static TheoryData<string, byte[], string, string> RefusedScripts => new()
    {
        { "html", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body>Sign in to GitHub</body></html>"), "text/html", "HTML page" },
        { "empty", [], "application/javascript", "empty body" },
        { "binary", ArchiveBuilder.DriverTarGz(), "application/javascript", "binary data" },
    };

    [Theory]
    [MemberData(nameof(RefusedScripts))]
    public async Task A_ui_url_that_serves_no_script_fails_the_sync_and_keeps_the_last_good_ui(string label, byte[] content, string contentType, string messagePart)
    {
        f.Upstream.Serve(ScriptPath, Script, etag: "\"js1\"");
        await AddDriverWithUiAsync("test", ScriptPath);
        var good = await f.Mirror.SyncAsync("test");

        f.Upstream.Serve(ScriptPath, content, etag: $"\"{label}\"", contentType: contentType);
        var failed = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, false), (failed.Result, failed.IsTransient));
        Assert.StartsWith("ui: ", failed.Message, StringComparison.Ordinal);
        Assert.Contains(messagePart, failed.Message, StringComparison.Ordinal);
        Assert.Equal(DriverState.Failed, failed.Record!.Status.State);
        Assert.Equal(good.Record!.Status.Ui, failed.Record.Status.Ui);
        Assert.Equal(good.Record.Status.Artifacts["linux-amd64"].BlobPath, failed.Record.Status.Artifacts["linux-amd64"].BlobPath);
        Assert.Equal(Script, await MirrorFixture.Anonymous.GetByteArrayAsync(good.Record.Status.Ui!.PublicUrl));
        Assert.Single(await f.BlobsUnderAsync("test/ui/"));
    }

    [Fact]
    public async Task A_ui_url_outside_the_allowed_networks_is_refused_and_the_trap_sees_nothing()
    {
        await using var trap = await LoopbackUpstream.StartAsync("127.0.0.2");
        trap.Serve(ScriptPath, Script);
        f.Upstream.Serve(ReleasePath, ArchiveBuilder.DriverTarGz());
        await f.Catalog.CreateAsync(new DriverSpec { Name = "test", Active = true, Url = f.Upstream.UrlFor(ReleasePath).AbsoluteUri, UiUrl = trap.UrlFor(ScriptPath).AbsoluteUri });

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, false), (outcome.Result, outcome.IsTransient));
        Assert.Contains("127.0.0.2", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, trap.ConnectionCount);
        Assert.Null(outcome.Record!.Status.Ui);
        Assert.Contains("linux-amd64", outcome.Record.Status.Artifacts.Keys);
    }

    [Fact]
    public async Task A_ui_server_error_is_transient()
    {
        f.Upstream.Respond(ScriptPath, 503);
        await AddDriverWithUiAsync("test", ScriptPath);

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Equal((SyncResult.Failed, true), (outcome.Result, outcome.IsTransient));
        Assert.StartsWith("Will retry: ui: ", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_the_ui_url_drops_the_ui_from_the_status_and_the_manifests()
    {
        f.Upstream.Serve(ScriptPath, Script);
        await AddDriverWithUiAsync("test", ScriptPath);
        var mirrored = await f.Mirror.SyncAsync("test");
        await f.Catalog.UpdateSpecAsync("test", null, spec => spec with { UiUrl = null });

        var outcome = await f.Mirror.SyncAsync("test");

        Assert.Null(outcome.Record!.Status.Ui);
        var manifest = RancherManifest.Build([outcome.Record], DriverKind.Node);
        Assert.Null(Assert.Single(manifest.Objects).Spec.UiUrl);

        // What Rancher servers or browsers already hold keeps working.
        Assert.Equal(Script, await MirrorFixture.Anonymous.GetByteArrayAsync(mirrored.Record!.Status.Ui!.PublicUrl));
    }

    [Theory]
    [InlineData("https://example.com/ui/v1/component.js", "https://example.com/ui/v1/component.css", "component.js")]
    [InlineData("https://example.com/ui/v1/driver-ui.JS?x=1", "https://example.com/ui/v1/driver-ui.css?x=1", "driver-ui.JS")]
    [InlineData("https://example.com/ui/v1/", null, "component.js")]
    [InlineData("https://example.com/ui/script", null, "component.js")]
    public void The_stylesheet_is_looked_for_beside_a_js_script(string scriptUrl, string? stylesheetUrl, string fileName)
    {
        Assert.Equal(stylesheetUrl, UiComponentMirror.StylesheetUrlOf(new Uri(scriptUrl))?.AbsoluteUri);
        Assert.Equal(fileName, UiComponentMirror.ScriptFileNameOf(new Uri(scriptUrl)));
    }
}
