namespace DriverMirror.Bench;

/// <summary>One repetition of the publish scenarios for one archive.</summary>
/// <param name="Copy">The naive copy: GET streamed into a blob.</param>
/// <param name="Sync">A first sync of a new driver: the whole pipeline, publishing.</param>
/// <param name="Unchanged">A second sync of that driver: the upstream answers 304.</param>
internal sealed record PublishRound(Measurement Copy, Measurement Sync, Measurement Unchanged)
{
    /// <summary>The median of each scenario's figures over <paramref name="rounds"/>.</summary>
    public static PublishRound Median(IReadOnlyCollection<PublishRound> rounds) => new(
        Measurement.Median(rounds.Select(r => r.Copy)),
        Measurement.Median(rounds.Select(r => r.Sync)),
        Measurement.Median(rounds.Select(r => r.Unchanged)));
}
