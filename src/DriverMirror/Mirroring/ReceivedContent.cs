using System.Text;

namespace DriverMirror.Mirroring;

/// <summary>
/// Says in words what a refused body was, so an operator reading a failed record sees "an HTML page" (a login wall, a 404
/// page served with 200) rather than "invalid archive".
/// </summary>
internal static class ReceivedContent
{
    private const int HexBytesShown = 16;

    /// <summary>Describes a body that is neither gzip, zip nor ELF, from its first bytes and its total length.</summary>
    public static string Describe(ReadOnlySpan<byte> prefix, long totalBytes)
    {
        if (totalBytes == 0)
        {
            return "received an empty body, not an archive";
        }

        if (LooksLikeHtml(prefix))
        {
            return $"received an HTML page ({totalBytes} bytes), not an archive";
        }

        var shown = prefix[..Math.Min(prefix.Length, HexBytesShown)];
        var hex = string.Join(' ', shown.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return $"received {totalBytes} bytes of unrecognised content starting with {hex}{(prefix.Length > HexBytesShown ? " …" : string.Empty)} (expected a tar.gz, a zip or an ELF binary)";
    }

    /// <summary>Whether the body starts, after whitespace and a byte-order mark, with <c>&lt;!doctype html</c> or <c>&lt;html</c>.</summary>
    public static bool LooksLikeHtml(ReadOnlySpan<byte> prefix)
    {
        var text = Encoding.UTF8.GetString(prefix).TrimStart('\uFEFF', ' ', '\t', '\r', '\n', '\f');
        return text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }
}
