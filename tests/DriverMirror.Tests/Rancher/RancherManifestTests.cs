using DriverMirror.Catalog;
using DriverMirror.Rancher;
using YamlDotNet.RepresentationModel;

namespace DriverMirror.Tests.Rancher;

public sealed class RancherManifestTests
{
    private static readonly string AmdSha = new('a', 64);
    private static readonly string ArmSha = new('b', 64);

    [Fact]
    public void Node_drivers_point_at_the_mirror_url_with_its_sha256()
    {
        var set = RancherManifest.Build([TestRecords.Mirrored("hetzner", ("linux-amd64", AmdSha))], DriverKind.Node);

        var hetzner = Assert.Single(set.Objects);
        Assert.Equal("NodeDriver", hetzner.Kind);
        Assert.Equal("hetzner", hetzner.Metadata.Name);
        Assert.Equal(AmdSha, hetzner.Spec.Checksum);
        Assert.StartsWith("http://127.0.0.1:10000/devstoreaccount1/drivers/hetzner/", hetzner.Spec.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void Arm64_manifest_lists_only_arm64_artifacts_and_names_drivers_without_one_as_not_mirrored()
    {
        var records = new[]
        {
            TestRecords.Mirrored("linode", ("linux-amd64", AmdSha), ("linux-arm64", ArmSha)),
            TestRecords.Mirrored("hetzner", ("linux-amd64", AmdSha)),
            TestRecords.Local("amazonec2"),
            TestRecords.Pending("vultr"),
        };

        var set = RancherManifest.Build(records, DriverKind.Node, "linux-arm64");

        // An arm64 server cannot exec an amd64 binary: hetzner must not be pointed at its amd64 artifact.
        Assert.Equal(["amazonec2", "linode"], set.Objects.Select(o => o.Metadata.Name));
        Assert.Equal(ArmSha, set.Objects.Single(o => o.Metadata.Name == "linode").Spec.Checksum);
        Assert.Equal("local://", set.Objects.Single(o => o.Metadata.Name == "amazonec2").Spec.Url);
        Assert.Equal(["hetzner", "vultr"], set.NotMirrored);
        Assert.Contains("# Not mirrored yet (left out): hetzner, vultr", RancherManifest.ToYaml(set), StringComparison.Ordinal);
        Assert.DoesNotContain(AmdSha, RancherManifest.ToYaml(set), StringComparison.Ordinal);
    }

    [Fact]
    public void Default_platform_manifest_is_unchanged_by_arm64_artifacts()
    {
        var records = new[]
        {
            TestRecords.Mirrored("linode", ("linux-amd64", AmdSha), ("linux-arm64", ArmSha)),
            TestRecords.Mirrored("scaleway", ("linux-arm64", ArmSha)),
        };

        var set = RancherManifest.Build(records, DriverKind.Node);

        Assert.Equal(AmdSha, Assert.Single(set.Objects).Spec.Checksum);
        Assert.Equal(["scaleway"], set.NotMirrored);
    }

    [Fact]
    public void Manifests_point_only_at_the_mirror_never_at_upstream_urls_or_their_tokens()
    {
        var signed = "https://upstream.example/docker-machine-driver-hetzner.tar.gz?X-Amz-Signature=s3cr3t";
        var record = TestRecords.Mirrored("hetzner", ("linux-amd64", AmdSha), ("linux-arm64", ArmSha));
        record = record with
        {
            Spec = record.Spec with { Url = signed },
            Status = record.Status with { Artifacts = record.Status.Artifacts.ToDictionary(a => a.Key, a => a.Value with { UpstreamUrl = signed }) },
        };

        foreach (var platform in new[] { "linux-amd64", "linux-arm64" })
        {
            var set = RancherManifest.Build([record], DriverKind.Node, platform);
            var yaml = RancherManifest.ToYaml(set);
            var json = RancherManifest.ToJson(set).ToJsonString();

            Assert.StartsWith("http://127.0.0.1:10000/devstoreaccount1/drivers/hetzner/", Assert.Single(set.Objects).Spec.Url, StringComparison.Ordinal);
            Assert.DoesNotContain("upstream.example", yaml, StringComparison.Ordinal);
            Assert.DoesNotContain("upstream.example", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Local_drivers_keep_local_url_and_unmirrored_drivers_are_left_out_and_named()
    {
        var set = RancherManifest.Build([TestRecords.Local("amazonec2"), TestRecords.Pending("vultr")], DriverKind.Node);

        var local = Assert.Single(set.Objects);
        Assert.Equal("local://", local.Spec.Url);
        Assert.Null(local.Spec.Checksum);
        Assert.Equal(["vultr"], set.NotMirrored);
    }

    [Fact]
    public void Inactive_unmirrored_drivers_are_named_apart_from_active_ones_that_need_a_sync()
    {
        var inactive = TestRecords.Pending("cloudca");
        inactive = inactive with { Spec = inactive.Spec with { Active = false } };

        var set = RancherManifest.Build([TestRecords.Local("amazonec2"), TestRecords.Pending("vultr"), inactive], DriverKind.Node);
        var yaml = RancherManifest.ToYaml(set);
        var json = RancherManifest.ToJson(set);

        Assert.Equal("amazonec2", Assert.Single(set.Objects).Metadata.Name);
        Assert.Equal(["vultr"], set.NotMirrored);
        Assert.Equal(["cloudca"], set.InactiveNotMirrored);
        Assert.Contains("# Not mirrored yet (left out): vultr\n", yaml, StringComparison.Ordinal);
        Assert.Contains("# Inactive, so not mirrored (left out): cloudca\n", yaml, StringComparison.Ordinal);
        Assert.Equal("[\"vultr\"]", json["notMirrored"]!.ToJsonString());
        Assert.Equal("[\"cloudca\"]", json["inactiveNotMirrored"]!.ToJsonString());
    }

    [Fact]
    public void Yaml_is_a_multi_document_stream_kubectl_can_apply()
    {
        var set = RancherManifest.Build([TestRecords.Mirrored("hetzner", ("linux-amd64", AmdSha)), TestRecords.Local("amazonec2"), TestRecords.Pending("vultr")], DriverKind.Node);

        var yaml = RancherManifest.ToYaml(set);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));

        Assert.Equal(2, stream.Documents.Count);
        var first = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal("management.cattle.io/v3", first["apiVersion"].ToString());
        Assert.Equal("amazonec2", ((YamlMappingNode)first["metadata"])["name"].ToString());
        var hetznerSpec = (YamlMappingNode)((YamlMappingNode)stream.Documents[1].RootNode)["spec"];
        Assert.Equal(AmdSha, hetznerSpec["checksum"].ToString());
        Assert.Equal("api.hetzner.example", ((YamlSequenceNode)hetznerSpec["whitelistDomains"])[0].ToString());
        Assert.Contains("# Not mirrored yet (left out): vultr", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_list_spells_builtin_as_each_rancher_kind_does()
    {
        var cluster = TestRecords.Local("rke2") with { Spec = TestRecords.Local("rke2").Spec with { Kind = DriverKind.Cluster } };

        var nodes = RancherManifest.ToJson(RancherManifest.Build([TestRecords.Local("amazonec2")], DriverKind.Node));
        var clusters = RancherManifest.ToJson(RancherManifest.Build([cluster], DriverKind.Cluster));

        Assert.Equal("List", (string?)nodes["kind"]);
        Assert.True((bool)nodes["items"]![0]!["spec"]!["builtin"]!);
        Assert.Equal("KontainerDriver", (string?)clusters["items"]![0]!["kind"]);
        Assert.True((bool)clusters["items"]![0]!["spec"]!["builtIn"]!);
        Assert.Null(clusters["items"]![0]!["spec"]!["builtin"]);
    }
}
