using DriverMirror.Catalog;

namespace DriverMirror.Tests.Catalog;

public sealed class DriverSpecValidatorTests
{
    private const string Sha256 = "a7242e63d002be90e0c6d1cabbd034ed53d305af6a974cd2c37665d91b2dd4aa";

    private static readonly DriverSpec Valid = new()
    {
        Name = "hetzner",
        Active = true,
        Url = "https://github.com/JonasProgrammer/docker-machine-driver-hetzner/releases/download/5.0.2/docker-machine-driver-hetzner_5.0.2_linux_amd64.tar.gz",
        Checksum = Sha256,
        Platforms = new Dictionary<string, PlatformSource>
        {
            ["linux-arm64"] = new() { Url = "https://github.com/x/y/releases/download/5.0.2/docker-machine-driver-hetzner_5.0.2_linux_arm64.tar.gz" },
        },
        UiUrl = "https://ui.example.com/component.js",
        WhitelistDomains = ["api.hetzner.cloud"],
    };

    private static IReadOnlyDictionary<string, string[]> Errors(DriverSpec spec) => DriverSpecValidator.Validate(spec);

    private static void AssertOnlyFieldRefused(DriverSpec spec, string field)
    {
        var errors = Errors(spec);
        Assert.Equal([field], errors.Keys);
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void A_complete_external_spec_is_valid()
    {
        Assert.Empty(Errors(Valid));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("amazonec2")]
    [InlineData("open-telekom-cloud")]
    [InlineData("a-")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123")]
    public void Names_of_lower_case_letters_digits_and_dashes_up_to_63_characters_are_valid(string name)
    {
        Assert.Empty(Errors(Valid with { Name = name }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-hetzner")]
    [InlineData("Hetzner")]
    [InlineData("het_zner")]
    [InlineData("het.zner")]
    [InlineData("het zner")]
    [InlineData("hetzner/../x")]
    [InlineData("hétzner")]
    [InlineData("hetzner\n")]
    [InlineData("hetzner\r\n")]
    [InlineData("\nhetzner")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234")]
    public void Names_outside_rancher_rule_are_refused_with_the_pattern(string name)
    {
        AssertOnlyFieldRefused(Valid with { Name = name }, "name");
        Assert.Contains(DriverName.Pattern, Errors(Valid with { Name = name })["name"][0]);
    }

    [Fact]
    public void A_kind_that_is_neither_node_nor_cluster_is_refused()
    {
        Assert.Empty(Errors(Valid with { Kind = DriverKind.Cluster }));
        AssertOnlyFieldRefused(Valid with { Kind = (DriverKind)7 }, "kind");
    }

    [Fact]
    public void Display_name_and_description_have_length_limits()
    {
        Assert.Empty(Errors(Valid with { DisplayName = new string('d', 128), Description = new string('x', 1024) }));
        AssertOnlyFieldRefused(Valid with { DisplayName = new string('d', 129) }, "displayName");
        AssertOnlyFieldRefused(Valid with { Description = new string('x', 1025) }, "description");
    }

    [Theory]
    [InlineData("http://mirror.example.cn/docker-machine-driver-hetzner.tgz")]
    [InlineData("https://mirror.example.cn:8443/drivers/docker-machine-driver-hetzner.zip?raw=1")]
    [InlineData("https://[2001:db8::1]/docker-machine-driver-hetzner")]
    [InlineData("HTTPS://GITHUB.COM/x/docker-machine-driver-hetzner.tar.gz")]
    public void Absolute_http_and_https_urls_are_valid(string url)
    {
        Assert.Empty(Errors(Valid with { Url = url }));
    }

    [Theory]
    [InlineData("ftp://mirror.example/docker-machine-driver-hetzner.tgz", "absolute http or https")]
    [InlineData("file:///etc/passwd", "absolute http or https")]
    [InlineData("/releases/docker-machine-driver-hetzner.tgz", "absolute http or https")]
    [InlineData("github.com/x/docker-machine-driver-hetzner.tgz", "absolute http or https")]
    [InlineData("javascript:alert(1)", "absolute http or https")]
    [InlineData("https://user:secret@mirror.example/docker-machine-driver-hetzner.tgz", "credentials")]
    [InlineData("https://token@mirror.example/docker-machine-driver-hetzner.tgz", "credentials")]
    [InlineData("https://@mirror.example/docker-machine-driver-hetzner.tgz", "credentials")]
    [InlineData("https://mirror.example:0/docker-machine-driver-hetzner.tgz", "port 0")]
    [InlineData("https://mirror.example/docker machine driver.tgz", "whitespace")]
    [InlineData("https://mirror.example/docker-machine-driver-hetzner.tgz\n", "whitespace")]
    [InlineData("https://mirror.example/\tdocker-machine-driver-hetzner.tgz", "whitespace")]
    [InlineData("https://mirror.example/docker-machine-driver-\0hetzner.tgz", "control characters")]
    [InlineData("https://mirror.example/docker-machine-driver-\u007fhetzner.tgz", "control characters")]
    [InlineData("https://mirror.example/docker-machine-driver-\u0085hetzner.tgz", "control characters")]
    [InlineData("https://mirror.example/docker-machine-driver-\u00a0hetzner.tgz", "whitespace")]
    [InlineData("https://mirror.\u0001example/docker-machine-driver-hetzner.tgz", "control characters")]
    public void Urls_that_are_not_plain_absolute_http_or_https_are_refused(string url, string reason)
    {
        var spec = Valid with { Url = url };

        AssertOnlyFieldRefused(spec, "url");
        Assert.Contains(reason, Errors(spec)["url"][0]);
        Assert.DoesNotContain("secret", Errors(spec)["url"][0]);
    }

    [Fact]
    public void Urls_are_limited_to_2048_characters()
    {
        const string prefix = "https://mirror.example/";
        var longest = prefix + new string('a', DriverSpecValidator.MaxUrlLength - prefix.Length);

        Assert.Empty(Errors(Valid with { Url = longest }));
        AssertOnlyFieldRefused(Valid with { Url = longest + "a" }, "url");
        Assert.Contains("2048", Errors(Valid with { Url = longest + "a" })["url"][0]);
    }

    [Fact]
    public void An_external_driver_needs_a_url_and_a_built_in_one_does_not()
    {
        AssertOnlyFieldRefused(Valid with { Url = null, Checksum = null }, "url");
        AssertOnlyFieldRefused(Valid with { Url = "", Checksum = null }, "url");
        Assert.Empty(Errors(Valid with { Builtin = true, Url = null, Checksum = null }));
    }

    [Fact]
    public void Local_url_is_valid_only_for_a_built_in_driver_and_takes_no_checksum()
    {
        Assert.Empty(Errors(Valid with { Builtin = true, Url = DriverSpec.LocalUrl, Checksum = null }));
        Assert.Empty(Errors(Valid with { Builtin = true, Url = "LOCAL://", Checksum = null }));
        Assert.Contains("built-in", Errors(Valid with { Url = DriverSpec.LocalUrl, Checksum = null })["url"][0]);
        AssertOnlyFieldRefused(Valid with { Url = DriverSpec.LocalUrl, Checksum = null }, "url");
        AssertOnlyFieldRefused(Valid with { Builtin = true, Url = DriverSpec.LocalUrl, Checksum = Sha256 }, "checksum");
        AssertOnlyFieldRefused(Valid with { Builtin = true, Url = "local://amazonec2", Checksum = null }, "url");
    }

    [Fact]
    public void A_built_in_driver_may_point_at_an_http_bundle()
    {
        var bundle = Valid with
        {
            Name = "amazonec2",
            Builtin = true,
            Url = "https://github.com/rancher/machine-package/releases/download/v0.13.0/docker-machine.tar.gz",
        };

        Assert.Empty(Errors(bundle));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("A7242E63D002BE90E0C6D1CABBD034ED53D305AF6A974CD2C37665D91B2DD4AA")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Checksums_of_md5_sha1_sha256_and_sha512_length_in_either_case_are_valid(string checksum)
    {
        Assert.Empty(Errors(Valid with { Checksum = checksum }));
        Assert.NotNull(PinnedChecksum.TryParse(checksum));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("a7242e63d002be90e0c6d1cabbd034ed53d305af6a974cd2c37665d91b2dd4a")]
    [InlineData("a7242e63d002be90e0c6d1cabbd034ed53d305af6a974cd2c37665d91b2dd4aaa")]
    [InlineData("g7242e63d002be90e0c6d1cabbd034ed53d305af6a974cd2c37665d91b2dd4aa")]
    [InlineData("sha256:a7242e63d002be90e0c6d1cabbd034ed53d305af6a974cd2c37665d91b2dd4")]
    [InlineData(" a7242e63d002be90e0c6d1cabbd034ed53d305af6a974cd2c37665d91b2dd4a")]
    public void Checksums_that_are_not_hex_of_an_accepted_length_are_refused(string checksum)
    {
        AssertOnlyFieldRefused(Valid with { Checksum = checksum }, "checksum");
        Assert.Null(PinnedChecksum.TryParse(checksum));
    }

    [Theory]
    [InlineData("linux-arm64")]
    [InlineData("linux-arm")]
    [InlineData("darwin-arm64")]
    [InlineData("windows-amd64")]
    [InlineData("linux-s390x")]
    public void Platforms_keyed_os_arch_are_valid(string platform)
    {
        var spec = Valid with { Platforms = new Dictionary<string, PlatformSource> { [platform] = new() { Url = Valid.Url, Checksum = Sha256 } } };

        Assert.Empty(Errors(spec));
    }

    [Theory]
    [InlineData("arm64")]
    [InlineData("Linux-arm64")]
    [InlineData("linux_arm64")]
    [InlineData("linux-aarch64")]
    [InlineData("linux-arm64\n")]
    [InlineData("")]
    public void Platform_keys_outside_os_arch_are_refused(string platform)
    {
        var spec = Valid with { Platforms = new Dictionary<string, PlatformSource> { [platform] = new() { Url = Valid.Url } } };

        AssertOnlyFieldRefused(spec, $"platforms.{platform}");
    }

    [Fact]
    public void The_default_platform_is_not_repeated_in_platforms()
    {
        var spec = Valid with { Platforms = new Dictionary<string, PlatformSource> { ["linux-amd64"] = new() { Url = Valid.Url } } };

        AssertOnlyFieldRefused(spec, "platforms.linux-amd64");
    }

    [Fact]
    public void A_platform_needs_a_valid_url_and_an_optional_valid_checksum()
    {
        static DriverSpec With(PlatformSource source) =>
            Valid with { Platforms = new Dictionary<string, PlatformSource> { ["linux-arm64"] = source } };

        AssertOnlyFieldRefused(With(new PlatformSource()), "platforms.linux-arm64.url");
        AssertOnlyFieldRefused(With(new PlatformSource { Url = "ftp://mirror.example/x" }), "platforms.linux-arm64.url");
        AssertOnlyFieldRefused(With(new PlatformSource { Url = "https://u:p@mirror.example/x" }), "platforms.linux-arm64.url");
        AssertOnlyFieldRefused(With(new PlatformSource { Url = DriverSpec.LocalUrl }), "platforms.linux-arm64.url");
        AssertOnlyFieldRefused(With(new PlatformSource { Url = Valid.Url, Checksum = "abc" }), "platforms.linux-arm64.checksum");
        Assert.Empty(Errors(With(new PlatformSource { Url = Valid.Url, Checksum = Sha256 })));
    }

    [Fact]
    public void Ui_url_is_optional_and_must_be_http_or_https()
    {
        Assert.Empty(Errors(Valid with { UiUrl = null }));
        AssertOnlyFieldRefused(Valid with { UiUrl = "data:text/javascript,alert(1)" }, "uiUrl");
        AssertOnlyFieldRefused(Valid with { UiUrl = "https://u:p@ui.example/component.js" }, "uiUrl");
    }

    [Theory]
    [InlineData("api.hetzner.cloud")]
    [InlineData("localhost")]
    [InlineData("*.amazonaws.com")]
    [InlineData("ec2.%.amazonaws.com")]
    [InlineData("%.aliyuncs.com")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("API.Linode.COM")]
    public void Whitelist_domains_of_host_syntax_with_rancher_wildcards_are_valid(string domain)
    {
        Assert.Empty(Errors(Valid with { WhitelistDomains = [domain] }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("api.*.example.com")]
    [InlineData("-api.example.com")]
    [InlineData("api-.example.com")]
    [InlineData("api..example.com")]
    [InlineData("api.example.com.")]
    [InlineData("https://api.example.com")]
    [InlineData("api.example.com/path")]
    [InlineData("api example.com")]
    [InlineData("api_example.com")]
    [InlineData("api.example.com\n")]
    [InlineData("api.example\n.com")]
    [InlineData("api.exa\0mple.com")]
    public void Whitelist_domains_that_are_not_host_names_are_refused_by_position(string domain)
    {
        var spec = Valid with { WhitelistDomains = ["api.hetzner.cloud", domain] };

        AssertOnlyFieldRefused(spec, "whitelistDomains[1]");
    }

    [Fact]
    public void Whitelist_domain_labels_and_names_have_dns_length_limits()
    {
        var label63 = new string('a', 63);
        var name253 = string.Join('.', label63, label63, label63, new string('b', 61));

        Assert.Equal(253, name253.Length);
        Assert.Empty(Errors(Valid with { WhitelistDomains = [name253] }));
        AssertOnlyFieldRefused(Valid with { WhitelistDomains = [label63 + "a.example.com"] }, "whitelistDomains[0]");
        AssertOnlyFieldRefused(Valid with { WhitelistDomains = [name253 + "b"] }, "whitelistDomains[0]");
    }

    [Fact]
    public void At_most_64_whitelist_domains_are_accepted()
    {
        var domains = Enumerable.Range(0, DriverSpecValidator.MaxWhitelistDomains).Select(i => $"api{i}.example.com").ToList();

        Assert.Empty(Errors(Valid with { WhitelistDomains = domains }));
        AssertOnlyFieldRefused(Valid with { WhitelistDomains = [.. domains, "one.more.example.com"] }, "whitelistDomains");
    }

    [Fact]
    public void Every_broken_field_is_reported_at_once()
    {
        var spec = new DriverSpec
        {
            Name = "Bad Name",
            Url = "ftp://x/y",
            Checksum = "xyz",
            UiUrl = "nope",
            Platforms = new Dictionary<string, PlatformSource> { ["linux-arm64"] = new() { Url = "nope" } },
            WhitelistDomains = ["ok.example.com", "not a domain"],
        };

        var errors = Errors(spec);

        Assert.Equal(
            new[] { "checksum", "name", "platforms.linux-arm64.url", "uiUrl", "url", "whitelistDomains[1]" },
            errors.Keys.Order(StringComparer.Ordinal));
        var thrown = Assert.Throws<DriverValidationException>(() => DriverSpecValidator.ThrowIfInvalid(spec));
        Assert.Equal(errors.Keys.Order(StringComparer.Ordinal), thrown.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("url: must be an absolute http or https URL.", thrown.Message);
    }

    [Fact]
    public void Throw_if_invalid_accepts_a_valid_spec()
    {
        var exception = Record.Exception(() => DriverSpecValidator.ThrowIfInvalid(Valid));

        Assert.Null(exception);
    }

    [Theory]
    [InlineData("Hetzner\nCloud")]
    [InlineData("Hetzner\u0000")]
    [InlineData("Hetzner\u001b[31m")]
    [InlineData("Hetzner\u007f")]
    [InlineData("Hetzner\u0085")]
    public void Display_name_and_description_refuse_control_characters_and_invalid_unicode(string text)
    {
        AssertOnlyFieldRefused(Valid with { DisplayName = text }, "displayName");
        AssertOnlyFieldRefused(Valid with { Description = text }, "description");
        AssertOnlyFieldRefused(Valid with { DisplayName = "Hetzner" + '\ud800' }, "displayName");
        Assert.Empty(Errors(Valid with { DisplayName = "Hetzner Cloud ☁ 🚀", Description = "Hetzner Cloud, Falkenstein – Nürnberg." }));
    }

    [Fact]
    public void At_most_eight_platforms_are_accepted_besides_the_default_one()
    {
        static DriverSpec With(int count) => Valid with
        {
            Platforms = new[] { "linux", "darwin", "windows" }
                .SelectMany(os => new[] { "amd64", "arm64", "arm", "386", "s390x", "ppc64le", "riscv64" }.Select(arch => $"{os}-{arch}"))
                .Where(p => p != DriverSpec.DefaultPlatform)
                .Take(count)
                .ToDictionary(p => p, p => new PlatformSource { Url = $"https://mirror.example/{p}/docker-machine-driver-hetzner.tgz" }),
        };

        Assert.Empty(Errors(With(DriverSpecValidator.MaxPlatforms)));
        AssertOnlyFieldRefused(With(DriverSpecValidator.MaxPlatforms + 1), "platforms");
        AssertOnlyFieldRefused(With(20), "platforms");
    }

    [Fact]
    public void Platforms_whose_stored_json_would_not_fit_a_table_column_are_refused()
    {
        // Non-ASCII characters are stored escaped (six characters each), so a legal URL length can still overflow the column.
        var platforms = new[] { "linux-arm64", "linux-arm", "linux-386", "linux-s390x", "linux-ppc64le", "linux-riscv64", "darwin-amd64", "darwin-arm64" }
            .ToDictionary(p => p, p => new PlatformSource { Url = $"https://mirror.example/{new string('é', 1000)}/{p}.tgz" });

        AssertOnlyFieldRefused(Valid with { Platforms = platforms }, "platforms");
        Assert.Contains(DriverSpecValidator.MaxJsonColumnLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Errors(Valid with { Platforms = platforms })["platforms"][0]);
    }
}
