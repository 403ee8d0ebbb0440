using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace DriverMirror.Mirroring;

/// <summary>
/// The parsed <see cref="MirrorOptions.AllowedNetworks"/>: networks the egress guard lets through although they are loopback,
/// private or link-local (a test upstream on 127.0.0.1, an internal artifact server). Written as comma-separated CIDRs
/// (<c>127.0.0.1/32, 10.20.0.0/16</c>); a bare address means that one address.
/// </summary>
public sealed class AllowedNetworks
{
    private AllowedNetworks(IReadOnlyList<IPNetwork> networks) => Networks = networks;

    /// <summary>No exceptions: only public addresses are fetched.</summary>
    public static AllowedNetworks None { get; } = new([]);

    /// <summary>The networks, in the order written.</summary>
    public IReadOnlyList<IPNetwork> Networks { get; }

    /// <summary>
    /// Whether <paramref name="address"/> lies in one of the networks. IPv4-mapped IPv6 addresses match their IPv4 network, so
    /// <c>127.0.0.1/32</c> also admits <c>::ffff:127.0.0.1</c>.
    /// </summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in Networks)
        {
            if (network.Contains(mapped) || network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a comma-separated CIDR list; null or blank means <see cref="None"/>. On failure <paramref name="error"/> says which
    /// entry is wrong and why, ready for an options-validation message.
    /// </summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out AllowedNetworks? networks, [NotNullWhen(false)] out string? error)
    {
        networks = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            networks = None;
            error = null;
            return true;
        }

        var parsed = new List<IPNetwork>();
        foreach (var raw in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0)
            {
                error = $"AllowedNetworks '{value}' has an empty entry.";
                return false;
            }

            if (!TryParseEntry(raw, out var network, out error))
            {
                return false;
            }

            parsed.Add(network);
        }

        networks = new AllowedNetworks(parsed);
        error = null;
        return true;
    }

    /// <summary>Parses a comma-separated CIDR list, throwing <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public static AllowedNetworks Parse(string? value) =>
        TryParse(value, out var networks, out var error) ? networks : throw new FormatException(error);

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Networks);

    private static bool TryParseEntry(string entry, out IPNetwork network, [NotNullWhen(false)] out string? error)
    {
        network = default;
        if (!entry.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(entry, out var single))
            {
                error = $"AllowedNetworks entry '{entry}' is neither a CIDR (address/prefix) nor an IP address.";
                return false;
            }

            network = new IPNetwork(single, single.GetAddressBytes().Length * 8);
            error = null;
            return true;
        }

        if (!IPNetwork.TryParse(entry, out network))
        {
            error = $"AllowedNetworks entry '{entry}' is not a valid CIDR (address/prefix).";
            return false;
        }

        // IPNetwork quietly clears bits after the prefix; "10.0.0.1/8" is more likely a typo for a /32 than a wish for all of
        // 10/8, so say so instead of guessing.
        var written = IPAddress.Parse(entry.AsSpan(0, entry.IndexOf('/', StringComparison.Ordinal)));
        if (!written.Equals(network.BaseAddress))
        {
            error = $"AllowedNetworks entry '{entry}' has bits set after the /{network.PrefixLength} prefix; " +
                $"write the network address (e.g. '{network}') or a single address ('{written}').";
            network = default;
            return false;
        }

        error = null;
        return true;
    }
}
