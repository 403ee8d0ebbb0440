using System.Security.Cryptography;

namespace DriverMirror.Mirroring;

/// <summary>
/// The digests computed in the one pass over an artifact: SHA-256 (its identity in the web root and what Rancher's
/// provisioning pods check), MD5 (the blob's Content-MD5), and the algorithm of a pinned checksum when it is neither.
/// </summary>
internal sealed class ArtifactDigests : IDisposable
{
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash? pinned;
    private readonly HashAlgorithmName? pinnedAlgorithm;
    private byte[]? sha256Result;
    private byte[]? md5Result;
    private byte[]? pinnedResult;

    public ArtifactDigests(HashAlgorithmName? pinnedAlgorithm)
    {
        this.pinnedAlgorithm = pinnedAlgorithm;
        if (pinnedAlgorithm is { } algorithm && algorithm != HashAlgorithmName.SHA256 && algorithm != HashAlgorithmName.MD5)
        {
            pinned = IncrementalHash.CreateHash(algorithm);
        }
    }

    /// <summary>Lower-case hex SHA-256, after <see cref="Finish"/>.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(sha256Result ?? throw NotFinished());

    /// <summary>The MD5 bytes (Content-MD5), after <see cref="Finish"/>.</summary>
    public byte[] Md5 => md5Result ?? throw NotFinished();

    /// <summary>Feeds the next bytes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        sha256.AppendData(data);
        md5.AppendData(data);
        pinned?.AppendData(data);
    }

    /// <summary>Computes the digests once every byte was appended.</summary>
    public void Finish()
    {
        sha256Result = sha256.GetHashAndReset();
        md5Result = md5.GetHashAndReset();
        pinnedResult = pinned?.GetHashAndReset();
    }

    /// <summary>Lower-case hex digest of the pinned algorithm (or of SHA-256/MD5 when the pin uses one of those).</summary>
    public string HexOf(HashAlgorithmName algorithm)
    {
        if (algorithm == HashAlgorithmName.SHA256)
        {
            return Sha256Hex;
        }

        if (algorithm == HashAlgorithmName.MD5)
        {
            return Convert.ToHexStringLower(Md5);
        }

        return algorithm == pinnedAlgorithm && pinnedResult is not null
            ? Convert.ToHexStringLower(pinnedResult)
            : throw new InvalidOperationException($"{algorithm.Name} was not computed.");
    }

    public void Dispose()
    {
        sha256.Dispose();
        md5.Dispose();
        pinned?.Dispose();
    }

    private static InvalidOperationException NotFinished() => new("Digests are read after Finish().");
}
