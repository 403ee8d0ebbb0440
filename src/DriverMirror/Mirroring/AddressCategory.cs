namespace DriverMirror.Mirroring;

/// <summary>What kind of destination an IP address is, as far as the egress guard cares.</summary>
public enum AddressCategory
{
    /// <summary>A globally routable address: the only kind fetched without an allow-list entry.</summary>
    Public,

    /// <summary>This host (127.0.0.0/8, ::1).</summary>
    Loopback,

    /// <summary>A private network: RFC 1918, carrier-grade NAT (100.64.0.0/10), unique local (fc00::/7), site local (fec0::/10).</summary>
    Private,

    /// <summary>Link-local (169.254.0.0/16 with the cloud metadata endpoint 169.254.169.254, fe80::/10).</summary>
    LinkLocal,

    /// <summary>The unspecified address (0.0.0.0, ::), which many stacks treat as "this host".</summary>
    Unspecified,

    /// <summary>Multicast (224.0.0.0/4, ff00::/8).</summary>
    Multicast,

    /// <summary>The limited broadcast address 255.255.255.255.</summary>
    Broadcast,

    /// <summary>Reserved, documentation, benchmarking or "this network" ranges that no real upstream lives in.</summary>
    Reserved,
}
