namespace DriverMirror.Bench;

/// <summary>Every repetition of the publish scenarios for one archive.</summary>
/// <param name="Archive">The archive published.</param>
/// <param name="Rounds">The repetitions, in the order they ran.</param>
internal sealed record PublishResult(ArchiveFile Archive, IReadOnlyList<PublishRound> Rounds)
{
    /// <summary>The median of each scenario's figures on their own (for printing each scenario, not for ratios).</summary>
    public Measurement Median(Func<PublishRound, Measurement> scenario) => Measurement.Median(Rounds.Select(scenario));

    /// <summary>A ratio taken within each repetition, summarised over them.</summary>
    public Ratio RatioOf(Func<PublishRound, double> ratio) => Ratio.Of(Rounds, ratio);
}
