namespace DriverMirror.Mirroring;

/// <summary>The file names Rancher looks for: <c>docker-machine-driver-*</c>, or the built-in bundle's machine binaries.</summary>
public static class DriverBinaryName
{
    /// <summary>The prefix of every machine driver binary; provisioning pods run <c>ls docker-machine-driver-*</c>.</summary>
    public const string Prefix = "docker-machine-driver-";

    private static readonly string[] BundleBinaries = ["docker-machine", "rancher-machine"];

    /// <summary>The last segment of an archive entry path (<c>a/b/docker-machine-driver-x</c> → <c>docker-machine-driver-x</c>).</summary>
    public static string FileNameOf(string entryKey)
    {
        var trimmed = entryKey.TrimEnd('/', '\\');
        var slash = trimmed.LastIndexOfAny(['/', '\\']);
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>Whether <paramref name="fileName"/> names a machine driver (<c>docker-machine-driver-*</c>).</summary>
    public static bool IsDriver(string fileName) =>
        fileName.StartsWith(Prefix, StringComparison.Ordinal) && fileName.Length > Prefix.Length;

    /// <summary>Whether <paramref name="fileName"/> names the machine binary of a built-in bundle.</summary>
    public static bool IsBundleBinary(string fileName) => BundleBinaries.Contains(fileName, StringComparer.Ordinal);
}
