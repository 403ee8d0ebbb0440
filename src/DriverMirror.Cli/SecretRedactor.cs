using System.Text.RegularExpressions;

namespace DriverMirror.Cli;

/// <summary>
/// Last line of defence for anything the CLI writes about storage: account keys and SAS signatures from a connection
/// string must never reach a terminal or a CI log, even inside an SDK's exception message.
/// </summary>
internal static partial class SecretRedactor
{
    public static string Redact(string text) => SecretRegex().Replace(text, m => $"{m.Groups[1].Value}=***");

    [GeneratedRegex(@"\b(AccountKey|SharedAccessSignature|sig|SharedAccessKey)=[^;&\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretRegex();
}
