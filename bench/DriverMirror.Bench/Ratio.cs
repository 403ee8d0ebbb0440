namespace DriverMirror.Bench;

/// <summary>
/// A ratio measured side by side: computed within each repetition (numerator and denominator from the same repetition),
/// then summarised over the repetitions by its median and its range.
/// </summary>
/// <param name="Median">The median of the per-repetition ratios (the mean of the two middle ones for an even count).</param>
/// <param name="Min">The smallest per-repetition ratio.</param>
/// <param name="Max">The largest per-repetition ratio.</param>
internal sealed record Ratio(double Median, double Min, double Max)
{
    /// <summary>Computes <paramref name="ratio"/> in every repetition and summarises the results.</summary>
    public static Ratio Of<T>(IReadOnlyCollection<T> repetitions, Func<T, double> ratio)
    {
        if (repetitions.Count == 0)
        {
            throw new ArgumentException("No repetitions to take a ratio over.", nameof(repetitions));
        }

        var sorted = repetitions.Select(ratio).Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Ratio(median, sorted[0], sorted[^1]);
    }
}
