using DriverMirror.Mirroring;

namespace DriverMirror.Bench;

/// <summary>Checks that a scenario did what it is meant to measure; a benchmark of the wrong thing fails instead of printing.</summary>
internal static class Expect
{
    public static void That(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The benchmark did not run as designed: {failure}.");
        }
    }

    public static void Result(SyncOutcome outcome, SyncResult expected) =>
        That(outcome.Result == expected, $"{outcome.Name}: expected {expected}, got {outcome.Result}: {outcome.Message}");
}
