using System.Net;
using System.Net.Sockets;

namespace DriverMirror.Mirroring;

/// <summary>
/// Sorts IP addresses into <see cref="AddressCategory"/> by the special-purpose ranges of RFC 6890 and friends. Pure: no
/// resolution, no traffic.
/// </summary>
public static class AddressClassifier
{
    // Most specific first: the first range that contains the address decides.
    private static readonly (IPNetwork Network, AddressCategory Category)[] Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/32"), AddressCategory.Unspecified),
        (IPNetwork.Parse("255.255.255.255/32"), AddressCategory.Broadcast),
        (IPNetwork.Parse("0.0.0.0/8"), AddressCategory.Reserved),
        (IPNetwork.Parse("10.0.0.0/8"), AddressCategory.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressCategory.Private),
        (IPNetwork.Parse("127.0.0.0/8"), AddressCategory.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressCategory.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.88.99.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressCategory.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressCategory.Reserved),
        (IPNetwork.Parse("198.51.100.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("203.0.113.0/24"), AddressCategory.Reserved),
        (IPNetwork.Parse("224.0.0.0/4"), AddressCategory.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressCategory.Reserved),
        (IPNetwork.Parse("::/128"), AddressCategory.Unspecified),
        (IPNetwork.Parse("::1/128"), AddressCategory.Loopback),
        (IPNetwork.Parse("100::/64"), AddressCategory.Reserved),
        (IPNetwork.Parse("2001:db8::/32"), AddressCategory.Reserved),
        (IPNetwork.Parse("fc00::/7"), AddressCategory.Private),
        (IPNetwork.Parse("fe80::/10"), AddressCategory.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressCategory.Private),
        (IPNetwork.Parse("ff00::/8"), AddressCategory.Multicast),
    ];

    // IPv6 prefixes whose low 32 bits carry an IPv4 address that the packet ends up at (NAT64, the deprecated
    // IPv4-compatible form): judged by the embedded address, so ::ffff:127.0.0.1 or 64:ff9b::a9fe:a9fe can't slip through.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");

    /// <summary>Classifies <paramref name="address"/>; IPv6 forms that embed an IPv4 address are judged by that address.</summary>
    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var effective = Unwrap(address);
        foreach (var (network, category) in Ranges)
        {
            if (network.Contains(effective))
            {
                return category;
            }
        }

        return AddressCategory.Public;
    }

    /// <summary>
    /// The address packets really go to: the IPv4 address inside IPv4-mapped, IPv4-compatible and NAT64 IPv6 forms, the
    /// address itself otherwise (without an IPv6 scope id, which does not change the destination's category).
    /// </summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var unscoped = address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
        if (Nat64.Contains(unscoped) || (Ipv4Compatible.Contains(unscoped) && !IPAddress.IPv6Any.Equals(unscoped) && !IPAddress.IPv6Loopback.Equals(unscoped)))
        {
            return new IPAddress(unscoped.GetAddressBytes().AsSpan(12, 4));
        }

        return unscoped;
    }
}
