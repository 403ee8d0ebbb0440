using System.Text.Json;
using System.Text.Json.Serialization;

namespace DriverMirror.Catalog;

/// <summary>
/// Enums as their lower-case words (<see cref="DriverTableWords"/>), read strictly: exactly one declared name, in any case.
/// <see cref="JsonStringEnumConverter"/> also reads comma-separated flag lists, so <c>"node, cluster"</c> would become
/// <c>Cluster</c> (0 | 1); and numbers, when allowed, would pass undeclared values.
/// </summary>
internal sealed class EnumWordConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    /// <summary>Thrown for a word that names no value; <see cref="DriverJson"/> turns it into a field message.</summary>
    internal sealed class UnknownWordException(string message) : JsonException(message);

    private sealed class Converter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly (TEnum Value, string Word)[] Words = [.. Enum.GetValues<TEnum>().Select(v => (v, DriverTableWords.Of(v)))];

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString();
                foreach (var (value, word) in Words)
                {
                    if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }
            }

            throw new UnknownWordException($"must be one of {string.Join(", ", Words.Select(w => w.Word))}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(DriverTableWords.Of(value));
    }
}
