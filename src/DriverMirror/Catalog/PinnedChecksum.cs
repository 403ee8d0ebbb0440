using System.Security.Cryptography;

namespace DriverMirror.Catalog;

/// <summary>A hex digest as Rancher reads it: the algorithm follows from the length (32 md5, 40 sha1, 64 sha256, 128 sha512).</summary>
public sealed record PinnedChecksum(HashAlgorithmName Algorithm, string Hex)
{
    /// <summary>Parses a hex digest, or returns <see langword="null"/> when it is not one of the accepted lengths or not hex.</summary>
    public static PinnedChecksum? TryParse(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.All(Uri.IsHexDigit))
        {
            return null;
        }

        HashAlgorithmName? algorithm = value.Length switch
        {
            32 => HashAlgorithmName.MD5,
            40 => HashAlgorithmName.SHA1,
            64 => HashAlgorithmName.SHA256,
            128 => HashAlgorithmName.SHA512,
            _ => null,
        };
        return algorithm is { } name ? new PinnedChecksum(name, value.ToLowerInvariant()) : null;
    }

    /// <summary>Whether <paramref name="actualHex"/> (any case) equals this digest.</summary>
    public bool Matches(string actualHex) => string.Equals(Hex, actualHex, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => $"{Algorithm.Name!.ToLowerInvariant()}:{Hex}";
}
