namespace DriverMirror.Catalog;

/// <summary>What a driver provisions: Rancher node (machine) drivers or cluster (kontainer) drivers.</summary>
public enum DriverKind
{
    /// <summary>A machine driver, <c>docker-machine-driver-&lt;name&gt;</c>; Rancher's NodeDriver.</summary>
    Node,

    /// <summary>A kontainer driver; Rancher's KontainerDriver.</summary>
    Cluster,
}
