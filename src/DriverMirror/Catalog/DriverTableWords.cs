using System.Text.Json;

namespace DriverMirror.Catalog;

/// <summary>The lower-case words enums are written as, in JSON, table columns and the web root.</summary>
public static class DriverTableWords
{
    /// <summary>The word for <paramref name="value"/> (<c>DriverState.Ready</c> → <c>ready</c>).</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
