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

    [Fact]
    public void Index_publishes_upstream_urls_without_credentials_query_or_fragment()
    {
        const string Signed = "https://reader:pa55@upstream.example:8443/releases/v1/docker-machine-driver-hetzner.tar.gz?X-Amz-Signature=s3cr3t&token=t0k3n#frag";
        const string Redacted = "https://upstream.example:8443/releases/v1/docker-machine-driver-hetzner.tar.gz";
        var record = TestRecords.Mirrored("hetzner", ("linux-amd64", new string('c', 64)));
        record = record with
        {
            Spec = record.Spec with { Url = Signed },
            Status = record.Status with { Artifacts = record.Status.Artifacts.ToDictionary(a => a.Key, a => a.Value with { UpstreamUrl = Signed }) },
        };

        var index = WebRootIndexBuilder.Build([record, TestRecords.Local("amazonec2")], DateTimeOffset.UnixEpoch);
        var json = JsonSerializer.Serialize(index, DriverJson.Options);
        var html = WebRootIndexHtml.Render(index);

        var hetzner = index.Drivers.Single(d => d.Name == "hetzner");
        Assert.Equal(Redacted, hetzner.UpstreamUrl);
        Assert.Equal(Redacted, Assert.Single(hetzner.Artifacts).UpstreamUrl);
        Assert.Equal("local://", index.Drivers.Single(d => d.Name == "amazonec2").UpstreamUrl);
        Assert.Contains(Redacted, html, StringComparison.Ordinal);
        foreach (var secret in new[] { "s3cr3t", "t0k3n", "pa55", "reader", "frag" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Html_page_shows_each_artifacts_upstream_for_people()
    {
        var index = WebRootIndexBuilder.Build([TestRecords.Mirrored("hetzner", ("linux-amd64", new string('c', 64)))], DateTimeOffset.UnixEpoch);

        var html = WebRootIndexHtml.Render(index);

        Assert.Contains("<th>Upstream</th>", html, StringComparison.Ordinal);
        Assert.Contains("https://upstream.example/docker-machine-driver-hetzner.tar.gz", html, StringComparison.Ordinal);
    }
}
