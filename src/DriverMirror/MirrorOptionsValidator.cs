using Microsoft.Extensions.Options;

namespace DriverMirror;

/// <summary>
/// Start-up checks of <see cref="MirrorOptions"/> that data annotations cannot express: the NCRONTAB
/// <see cref="MirrorOptions.Schedule"/>, an absolute http(s) <see cref="MirrorOptions.PublicBaseUrl"/>, and positive timeouts.
/// Every message names the setting (<c>Mirror:Schedule</c>, …). Register as <c>IValidateOptions&lt;MirrorOptions&gt;</c>.
/// </summary>
public sealed class MirrorOptionsValidator : IValidateOptions<MirrorOptions>
{
    /// <summary>The six NCRONTAB fields, seconds first, with their ranges and the names a field may use instead of numbers.</summary>
    private static readonly (string Name, int Min, int Max, string[]? Names)[] CronFields =
    [
        ("second", 0, 59, null),
        ("minute", 0, 59, null),
        ("hour", 0, 23, null),
        ("day", 1, 31, null),
        ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        ("day-of-week", 0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    /// <summary>The longest timeout timers and HTTP clients accept (<see cref="int.MaxValue"/> milliseconds).</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MirrorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (CheckSchedule(options.Schedule) is { } scheduleProblem)
        {
            failures.Add($"{Setting(nameof(MirrorOptions.Schedule))} {scheduleProblem}");
        }

        if (options.PublicBaseUrl is { } publicBase
            && (!publicBase.IsAbsoluteUri || (publicBase.Scheme != Uri.UriSchemeHttp && publicBase.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(publicBase.Host)))
        {
            failures.Add($"{Setting(nameof(MirrorOptions.PublicBaseUrl))} must be an absolute http or https URL (it was '{publicBase.OriginalString}').");
        }

        CheckTimeout(nameof(MirrorOptions.ConnectTimeout), options.ConnectTimeout, failures);
        CheckTimeout(nameof(MirrorOptions.DownloadTimeout), options.DownloadTimeout, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why <paramref name="schedule"/> is not a six-field NCRONTAB expression, or <see langword="null"/> when it is one.</summary>
    public static string? CheckSchedule(string? schedule)
    {
        var fields = (schedule ?? "").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != CronFields.Length)
        {
            return $"must be an NCRONTAB expression of six fields (second minute hour day month day-of-week, for example '0 0 */6 * * *'); '{schedule}' has {fields.Length}.";
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (!IsCronField(fields[i], CronFields[i].Min, CronFields[i].Max, CronFields[i].Names))
            {
                return $"has an invalid {CronFields[i].Name} field '{fields[i]}' (allowed: *, numbers {CronFields[i].Min}-{CronFields[i].Max}"
                    + (CronFields[i].Names is { } names ? $" or {names[0]}-{names[^1]}" : "")
                    + ", ranges a-b, lists a,b and steps */n or a-b/n).";
            }
        }

        return null;
    }

    private static bool IsCronField(string field, int min, int max, string[]? names)
    {
        foreach (var item in field.Split(','))
        {
            var (range, step) = item.Split('/') switch
            {
                [var r] => (r, (string?)null),
                [var r, var s] => (r, s),
                _ => ("", null),
            };
            if (step is not null && (!int.TryParse(step, System.Globalization.NumberStyles.None, null, out var n) || n < 1 || n > max - min + 1))
            {
                return false;
            }

            if (range == "*")
            {
                continue;
            }

            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2 || bounds.Any(b => Value(b, min, max, names) is null))
            {
                return false;
            }

            if (bounds.Length == 2 && Value(bounds[0], min, max, names) > Value(bounds[1], min, max, names))
            {
                return false;
            }
        }

        return true;
    }

    private static int? Value(string text, int min, int max, string[]? names)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, null, out var number))
        {
            return number >= min && number <= max ? number : null;
        }

        var index = names is null ? -1 : Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : min + index;
    }

    private static void CheckTimeout(string setting, TimeSpan value, List<string> failures)
    {
        if (value <= TimeSpan.Zero || value > MaxTimeout)
        {
            failures.Add($"{Setting(setting)} must be a positive time span of at most {MaxTimeout} (for example 00:00:30); it was {value}.");
        }
    }

    private static string Setting(string property) => $"{MirrorOptions.SectionName}:{property}";
}
