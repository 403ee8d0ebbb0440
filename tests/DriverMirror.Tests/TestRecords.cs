using DriverMirror.Catalog;

namespace DriverMirror.Tests;

/// <summary>Driver records as the catalog would hold them, for tests of code that only reads records.</summary>
internal static class TestRecords
{
    public static DriverRecord Mirrored(string name, params (string Platform, string Sha256)[] artifacts) => new()
    {
        Spec = new DriverSpec
        {
            Name = name,
            Active = true,
            Url = $"https://upstream.example/docker-machine-driver-{name}.tar.gz",
            WhitelistDomains = [$"api.{name}.example"],
        },
        Status = new DriverStatus
        {
            State = DriverState.Ready,
            Artifacts = artifacts.ToDictionary(a => a.Platform, a => Artifact(name, a.Platform, a.Sha256, $"https://upstream.example/docker-machine-driver-{name}.tar.gz")),
        },
    };

    /// <summary>A published artifact of <paramref name="name"/> for <paramref name="platform"/>, as a finished sync records it.</summary>
    public static MirroredArtifact Artifact(string name, string platform, string sha256, string upstreamUrl) => new()
    {
        BlobPath = $"{name}/{sha256}/docker-machine-driver-{name}_{platform}.tar.gz",
        PublicUrl = $"http://127.0.0.1:10000/devstoreaccount1/drivers/{name}/{sha256}/docker-machine-driver-{name}_{platform}.tar.gz",
        FileName = $"docker-machine-driver-{name}_{platform}.tar.gz",
        Size = 1234,
        Sha256 = sha256,
        Format = "tar.gz",
        DriverBinary = $"docker-machine-driver-{name}",
        UpstreamUrl = upstreamUrl,
        FetchedAt = DateTimeOffset.UnixEpoch,
    };

    public static DriverRecord Local(string name) => new()
    {
        Spec = new DriverSpec { Name = name, Builtin = true, Active = true, Url = DriverSpec.LocalUrl },
        Status = new DriverStatus { State = DriverState.Disabled },
    };

    public static DriverRecord Pending(string name) => new()
    {
        Spec = new DriverSpec { Name = name, Active = true, Url = $"https://upstream.example/docker-machine-driver-{name}" },
    };
}
