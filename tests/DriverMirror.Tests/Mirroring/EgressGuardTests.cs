using System.Net;
using System.Net.Sockets;
using DriverMirror.Mirroring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DriverMirror.Tests.Mirroring;

/// <summary>Classification and allow-list rules. No traffic: these addresses are only ever classified, never contacted.</summary>
public sealed class EgressGuardTests
{
    [Theory]
    [InlineData("169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("169.254.1.1", AddressCategory.LinkLocal)]
    [InlineData("10.0.0.1", AddressCategory.Private)]
    [InlineData("172.16.5.4", AddressCategory.Private)]
    [InlineData("172.31.255.255", AddressCategory.Private)]
    [InlineData("192.168.1.1", AddressCategory.Private)]
    [InlineData("100.64.0.1", AddressCategory.Private)]
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.0.0.2", AddressCategory.Loopback)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("fd00::1", AddressCategory.Private)]
    [InlineData("fc00::1", AddressCategory.Private)]
    [InlineData("fe80::1", AddressCategory.LinkLocal)]
    [InlineData("fe80::1%2", AddressCategory.LinkLocal)]
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [InlineData("::ffff:169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("::ffff:10.1.2.3", AddressCategory.Private)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressCategory.LinkLocal)]
    [InlineData("::127.0.0.1", AddressCategory.Loopback)]
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("0.1.2.3", AddressCategory.Reserved)]
    [InlineData("224.0.0.1", AddressCategory.Multicast)]
    [InlineData("239.255.255.250", AddressCategory.Multicast)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("255.255.255.255", AddressCategory.Broadcast)]
    [InlineData("240.0.0.1", AddressCategory.Reserved)]
    [InlineData("192.0.2.10", AddressCategory.Reserved)]
    [InlineData("2001:db8::1", AddressCategory.Reserved)]
    [InlineData("1.1.1.1", AddressCategory.Public)]
    [InlineData("8.8.8.8", AddressCategory.Public)]
    [InlineData("172.32.0.1", AddressCategory.Public)]
    [InlineData("100.128.0.1", AddressCategory.Public)]
    [InlineData("2606:4700::1111", AddressCategory.Public)]
    [InlineData("::ffff:1.1.1.1", AddressCategory.Public)]
    public void Addresses_are_classified_by_their_special_purpose_range(string address, AddressCategory expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("140.82.112.3")]
    public void Public_addresses_are_permitted_without_an_allow_list(string address) =>
        Assert.True(new EgressGuard(AllowedNetworks.None).IsPermitted(IPAddress.Parse(address)));

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Non_public_addresses_are_blocked_without_an_allow_list(string address) =>
        Assert.False(new EgressGuard(AllowedNetworks.None).IsPermitted(IPAddress.Parse(address)));

    [Fact]
    public void The_allow_list_admits_exactly_its_networks_including_ipv4_mapped_forms()
    {
        var guard = new EgressGuard(AllowedNetworks.Parse("127.0.0.1/32, 10.20.0.0/16, fd12::/16"));

        Assert.True(guard.IsPermitted(IPAddress.Parse("127.0.0.1")));
        Assert.True(guard.IsPermitted(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(guard.IsPermitted(IPAddress.Parse("10.20.30.40")));
        Assert.True(guard.IsPermitted(IPAddress.Parse("fd12::5")));
        Assert.False(guard.IsPermitted(IPAddress.Parse("127.0.0.2")));
        Assert.False(guard.IsPermitted(IPAddress.Parse("::1")));
        Assert.False(guard.IsPermitted(IPAddress.Parse("10.21.0.1")));
        Assert.False(guard.IsPermitted(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public async Task A_name_with_mixed_answers_resolves_to_its_permitted_addresses_only()
    {
        var guard = new EgressGuard(AllowedNetworks.None, Resolver("169.254.169.254", "1.1.1.1", "10.0.0.1", "2606:4700::1111"));

        var permitted = await guard.ResolvePermittedAsync(new Uri("https://downloads.example/driver.tar.gz"));

        Assert.Equal([IPAddress.Parse("1.1.1.1"), IPAddress.Parse("2606:4700::1111")], permitted);
    }

    [Fact]
    public async Task A_name_with_only_blocked_answers_is_refused_permanently_naming_host_and_addresses()
    {
        var guard = new EgressGuard(AllowedNetworks.None, Resolver("169.254.169.254", "fd00::1"));

        var error = await Assert.ThrowsAsync<MirrorException>(() => guard.ResolvePermittedAsync(new Uri("http://metadata.example/latest")));

        Assert.False(error.IsTransient);
        Assert.Contains("'metadata.example'", error.Message, StringComparison.Ordinal);
        Assert.Contains("169.254.169.254 (link-local", error.Message, StringComparison.Ordinal);
        Assert.Contains("fd00::1 (private network)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_a_transient_failure()
    {
        var guard = new EgressGuard(AllowedNetworks.None, (_, _) => throw new SocketException((int)SocketError.HostNotFound));

        var error = await Assert.ThrowsAsync<MirrorException>(() => guard.ResolvePermittedAsync(new Uri("https://nowhere.example/x")));

        Assert.True(error.IsTransient);
        Assert.Contains("nowhere.example", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://0.0.0.0:8080/")]
    public async Task Ip_literals_are_judged_without_asking_dns(string url)
    {
        var asked = false;
        var guard = new EgressGuard(AllowedNetworks.None, (_, _) =>
        {
            asked = true;
            return Task.FromResult(new[] { IPAddress.Parse("1.1.1.1") });
        });

        var error = await Assert.ThrowsAsync<MirrorException>(() => guard.ResolvePermittedAsync(new Uri(url)));

        Assert.False(error.IsTransient);
        Assert.False(asked);
    }

    [Theory]
    [InlineData("ftp://example.com/x.tar.gz", "scheme 'ftp'")]
    [InlineData("file:///etc/passwd", "scheme 'file'")]
    [InlineData("https://user:pw@example.com/x.tar.gz", "credentials")]
    [InlineData("https://token@example.com/x.tar.gz", "credentials")]
    public void Urls_that_are_not_plain_http_or_https_are_refused(string url, string reason)
    {
        var error = Assert.Throws<MirrorException>(() => EgressGuard.EnsureFetchableUrl(new Uri(url)));

        Assert.False(error.IsTransient);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_urls_keep_scheme_host_port_and_path_only()
    {
        Assert.Equal(
            "https://example.com:8443/a/b.tar.gz",
            EgressGuard.Redact(new Uri("https://user:pw@example.com:8443/a/b.tar.gz?X-Amz-Signature=abc#frag")));
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("  ", 0)]
    [InlineData("127.0.0.1/32", 1)]
    [InlineData("127.0.0.1", 1)]
    [InlineData("127.0.0.1/32, 10.0.0.0/8,192.168.0.0/16", 3)]
    [InlineData("::1/128,fd00::/8", 2)]
    [InlineData("0.0.0.0/0", 1)]
    public void Valid_allow_lists_parse(string? value, int count)
    {
        Assert.True(AllowedNetworks.TryParse(value, out var networks, out var error));

        Assert.Null(error);
        Assert.Equal(count, networks.Networks.Count);
    }

    [Theory]
    [InlineData("127.0.0.1/33", "not a valid CIDR")]
    [InlineData("10.0.0.1/8", "write the network address (e.g. '10.0.0.0/8')")]
    [InlineData("banana", "neither a CIDR")]
    [InlineData("10.0.0.0/8,,127.0.0.1/32", "empty entry")]
    [InlineData("10.0.0.0/-1", "not a valid CIDR")]
    [InlineData("10.0.0.0/8; 127.0.0.1/32", "not a valid CIDR")]
    [InlineData("::1/129", "not a valid CIDR")]
    public void Invalid_allow_lists_are_reported_with_the_offending_entry(string value, string reason)
    {
        Assert.False(AllowedNetworks.TryParse(value, out var networks, out var error));

        Assert.Null(networks);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AllowedNetworks.Parse(value));
    }

    [Fact]
    public void An_invalid_allow_list_fails_options_validation_at_start_up()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mirror:AllowedNetworks"] = "127.0.0.1/32,10.0.0.1/8" })
            .Build();
        using var services = new ServiceCollection()
            .AddOptions()
            .Configure<MirrorOptions>(configuration.GetSection(MirrorOptions.SectionName))
            .AddSingleton<IValidateOptions<MirrorOptions>, AllowedNetworksValidator>()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MirrorOptions>>().Value);

        Assert.Contains("10.0.0.1/8", error.Message, StringComparison.Ordinal);
        Assert.True(new AllowedNetworksValidator().Validate(null, new MirrorOptions { AllowedNetworks = "127.0.0.1/32" }).Succeeded);
    }

    [Fact]
    public void The_fetcher_refuses_to_start_with_an_invalid_allow_list() =>
        Assert.Throws<FormatException>(() => new UpstreamFetcher(
            Options.Create(new MirrorOptions { AllowedNetworks = "not-a-network" }), NullLogger<UpstreamFetcher>.Instance));

    [Fact]
    public void The_production_service_graph_can_build_the_fetcher_as_a_singleton()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mirror:AllowedNetworks"] = "127.0.0.1/32" })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddDriverMirror(configuration)
            .AddSingleton<UpstreamFetcher>()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(services.GetRequiredService<UpstreamFetcher>(), services.GetRequiredService<UpstreamFetcher>());
    }

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolver(params string[] addresses) =>
        (_, _) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());
}
