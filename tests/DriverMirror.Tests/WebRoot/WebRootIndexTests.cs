using System.Text.Json;
using DriverMirror.Catalog;
using DriverMirror.WebRoot;

namespace DriverMirror.Tests.WebRoot;

public sealed class WebRootIndexTests
{
    [Fact]
    public void Index_lists_every_driver_in_name_order_with_its_artifacts()
    {
        var sha = new string('c', 64);
        var index = WebRootIndexBuilder.Build([TestRecords.Pending("vultr"), TestRecords.Mirrored("hetzner", ("linux-amd64", sha))], DateTimeOffset.UnixEpoch);

        Assert.Equal(["hetzner", "vultr"], index.Drivers.Select(d => d.Name));
        var artifact = Assert.Single(index.Drivers[0].Artifacts);
        Assert.Equal(("linux-amd64", sha, 1234L), (artifact.Arch, artifact.Sha256, artifact.Size));
        Assert.Empty(index.Drivers[1].Artifacts);
        Assert.Equal("pending", index.Drivers[1].State);
    }

    [Fact]
    public void Index_json_uses_the_documented_camel_case_schema()
    {
        var index = WebRootIndexBuilder.Build([TestRecords.Mirrored("hetzner", ("linux-amd64", new string('c', 64)))], DateTimeOffset.UnixEpoch);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(index, DriverJson.Options));

        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.True(root.TryGetProperty("generatedAt", out _));
        var driver = root.GetProperty("drivers")[0];
        foreach (var field in new[] { "name", "kind", "builtin", "active", "state", "upstreamUrl", "artifacts" })
        {
            Assert.True(driver.TryGetProperty(field, out _), field);
        }

        var artifact = driver.GetProperty("artifacts")[0];
        foreach (var field in new[] { "arch", "url", "fileName", "sha256", "size" })
        {
            Assert.True(artifact.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public void Html_page_escapes_what_operators_typed()
    {
        var record = TestRecords.Pending("evil") with { Status = new DriverStatus { Message = "<script>alert(1)</script>" } };

        var html = WebRootIndexHtml.Render(WebRootIndexBuilder.Build([record], DateTimeOffset.UnixEpoch));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"index.json\"", html, StringComparison.Ordinal);
    }
}
