namespace DriverMirror.Mirroring;

/// <summary>
/// Path checks for archive entries, as <c>tar</c>/<c>unzip</c> on the Rancher server would extract them: no absolute paths, no
/// <c>..</c> segments, no links that resolve outside the extraction root.
/// </summary>
internal static class ArchiveEntryPath
{
    private static readonly char[] Separators = ['/', '\\'];

    /// <summary>Whether <paramref name="key"/> is absolute (<c>/x</c>, <c>\x</c>, <c>C:x</c>) or has a <c>..</c> segment.</summary>
    public static bool IsUnsafe(string key) =>
        IsAbsolute(key) || key.Split(Separators).Any(segment => segment == "..");

    /// <summary>
    /// Whether a link entry at <paramref name="key"/> pointing to <paramref name="target"/> leaves the archive root: an absolute
    /// target, or a relative one that climbs above the root from the entry's folder (where a symlink target is resolved).
    /// </summary>
    /// <remarks>
    /// SharpCompress does not say whether a tar link is symbolic or hard (hard-link targets are resolved from the root); reading
    /// every target as a symlink keeps ordinary relative links (<c>bin/up -&gt; ../current</c>) and still refuses any target
    /// that climbs out from the root, such as <c>../etc/passwd</c>.
    /// </remarks>
    public static bool LinkEscapes(string key, string target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return false;
        }

        if (IsAbsolute(target))
        {
            return true;
        }

        var folder = key.TrimEnd(Separators).Split(Separators, StringSplitOptions.RemoveEmptyEntries).SkipLast(1);
        return Escapes(folder.Concat(target.Split(Separators)));
    }

    private static bool IsAbsolute(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':');

    private static bool Escapes(IEnumerable<string> segments)
    {
        var depth = 0;
        foreach (var segment in segments)
        {
            if (segment == "..")
            {
                if (--depth < 0)
                {
                    return true;
                }
            }
            else if (segment is not ("" or "."))
            {
                depth++;
            }
        }

        return false;
    }
}
