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
    public void Arm64_manifest_uses_the_arm64_artifact_and_falls_back_to_amd64()
    {
        var records = new[]
        {
            TestRecords.Mirrored("linode", ("linux-amd64", AmdSha), ("linux-arm64", ArmSha)),
            TestRecords.Mirrored("hetzner", ("linux-amd64", AmdSha)),
        };

        var set = RancherManifest.Build(records, DriverKind.Node, "linux-arm64");

        Assert.Equal(ArmSha, set.Objects.Single(o => o.Metadata.Name == "linode").Spec.Checksum);
        Assert.Equal(AmdSha, set.Objects.Single(o => o.Metadata.Name == "hetzner").Spec.Checksum);
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
