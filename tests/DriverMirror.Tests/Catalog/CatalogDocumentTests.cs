using System.Text;
using DriverMirror.Catalog;

namespace DriverMirror.Tests.Catalog;

public sealed class CatalogDocumentTests
{
    private const string BundleUrl = "https://github.com/rancher/machine-package/releases/download/v0.13.0/docker-machine.tar.gz";

    private static CatalogDocument Parse(string json) => CatalogDocument.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static DriverValidationException Refused(string json) => Assert.Throws<DriverValidationException>(() => Parse(json));

    [Fact]
    public void Rancher_1_6_lists_13_external_drivers_by_url_and_11_built_ins_served_from_the_machine_package_bundle()
    {
        var catalog = CatalogDocument.LoadBuiltIn("rancher-1.6");

        var builtIns = catalog.Drivers.Where(d => d.Builtin).ToList();
        var external = catalog.Drivers.Where(d => !d.Builtin).ToList();
        Assert.Equal("rancher-1.6", catalog.Catalog);
        Assert.Equal(11, builtIns.Count);
        Assert.Equal(13, external.Count);
        Assert.All(builtIns, d => Assert.Equal(BundleUrl, d.Url));
        Assert.Contains(builtIns, d => d.Name == "amazonec2" && d.Active);
        Assert.All(external, d => Assert.Contains("docker-machine-driver-", d.Url, StringComparison.Ordinal));
        Assert.All(external, d => Assert.False(d.Active));
    }

    [Fact]
    public void Rancher_2_pins_a_sha256_for_every_external_driver_and_keeps_built_ins_local()
    {
        var catalog = CatalogDocument.LoadBuiltIn("rancher-2");

        var external = catalog.Drivers.Where(d => !d.Builtin).ToList();
        Assert.NotEmpty(external);
        Assert.All(catalog.Drivers.Where(d => d.Builtin), d => Assert.True(d.IsLocal));
        Assert.All(external, d => Assert.Equal(System.Security.Cryptography.HashAlgorithmName.SHA256, PinnedChecksum.TryParse(d.Checksum)!.Algorithm));
        Assert.All(external, d => Assert.NotEmpty(d.WhitelistDomains!));
        var arm64 = external.Where(d => d.Platforms?.ContainsKey("linux-arm64") == true).ToList();
        Assert.NotEmpty(arm64);
        Assert.All(arm64, d => Assert.NotNull(PinnedChecksum.TryParse(d.Platforms!["linux-arm64"].Checksum)));
    }

    [Theory]
    [InlineData("rancher-1.6")]
    [InlineData("rancher-2")]
    public void Every_driver_of_a_built_in_catalog_passes_validation_and_names_are_unique(string name)
    {
        var catalog = CatalogDocument.LoadBuiltIn(name);

        Assert.All(catalog.Drivers, d => Assert.Empty(DriverSpecValidator.Validate(d)));
        Assert.Equal(catalog.Drivers.Count, catalog.Drivers.Select(d => d.Name).Distinct().Count());
    }

    [Fact]
    public void An_unknown_built_in_name_is_refused_for_name_with_the_known_ones()
    {
        var refused = Assert.Throws<DriverValidationException>(() => CatalogDocument.LoadBuiltIn("rancher-3"));

        Assert.Equal(["name"], refused.Errors.Keys);
        Assert.Contains("rancher-1.6, rancher-2", refused.Errors["name"][0]);
    }

    [Fact]
    public void An_operator_catalog_is_read_with_its_name_and_drivers()
    {
        var catalog = Parse("""
            {"catalog":"ours","description":"our mirror","drivers":[
              {"name":"hetzner","url":"https://mirror.example/docker-machine-driver-hetzner.tgz","active":true},
              {"name":"amazonec2","builtin":true,"url":"local://"}]}
            """);

        Assert.Equal("ours", catalog.Catalog);
        Assert.Equal("our mirror", catalog.Description);
        Assert.Equal(["hetzner", "amazonec2"], catalog.Drivers.Select(d => d.Name));
        Assert.True(catalog.Drivers[0].Active);
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("[]", "drivers")]
    [InlineData("""{"drivers":{}}""", "drivers")]
    [InlineData("""{"catalog":"x"}""", "drivers")]
    [InlineData("""{"catalog":42,"drivers":[]}""", "catalog")]
    [InlineData("""{"catalog":"x","description":["a"],"drivers":[]}""", "description")]
    public void A_document_that_is_not_a_catalog_is_refused_for_the_member_at_fault(string json, string field)
    {
        Assert.Equal([field], Refused(json).Errors.Keys);
    }

    [Fact]
    public void Broken_drivers_are_refused_with_their_index_and_field()
    {
        var refused = Refused("""
            {"drivers":[
              {"name":"ok","url":"https://mirror.example/docker-machine-driver-ok.tgz"},
              {"name":"Bad","url":"ftp://mirror.example/x"},
              {"name":"typo","url":"https://mirror.example/x","activ":true},
              "not an object"]}
            """);

        Assert.Equal(
            new[] { "drivers[1].name", "drivers[1].url", "drivers[2].activ", "drivers[3].body" },
            refused.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_name_given_twice_is_refused()
    {
        var refused = Refused("""
            {"drivers":[
              {"name":"hetzner","url":"https://mirror.example/a.tgz"},
              {"name":"hetzner","url":"https://mirror.example/b.tgz"}]}
            """);

        Assert.Equal(["drivers"], refused.Errors.Keys);
        Assert.Contains("hetzner", refused.Errors["drivers"][0]);
    }
}
