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
            Artifacts = artifacts.ToDictionary(
                a => a.Platform,
                a => new MirroredArtifact
                {
                    BlobPath = $"{name}/{a.Sha256}/docker-machine-driver-{name}.tar.gz",
                    PublicUrl = $"http://127.0.0.1:10000/devstoreaccount1/drivers/{name}/{a.Sha256}/docker-machine-driver-{name}.tar.gz",
                    FileName = $"docker-machine-driver-{name}.tar.gz",
                    Size = 1234,
                    Sha256 = a.Sha256,
                    Format = "tar.gz",
                    DriverBinary = $"docker-machine-driver-{name}",
                    UpstreamUrl = $"https://upstream.example/docker-machine-driver-{name}.tar.gz",
                    FetchedAt = DateTimeOffset.UnixEpoch,
                }),
        },
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
