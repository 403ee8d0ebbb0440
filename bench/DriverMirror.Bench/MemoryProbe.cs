using System.Diagnostics;

namespace DriverMirror.Bench;

/// <summary>
/// Times an action while a background loop samples the managed heap and the process working set every few milliseconds.
/// Growth is measured against a baseline taken after a full, compacting collection, so what was live before the run
/// (Azurite clients, the loopback server, buffer pools filled by the warm-up) is not counted.
/// </summary>
internal static class MemoryProbe
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Runs <paramref name="action"/>, which returns the bytes it is credited with moving.</summary>
    public static async Task<Measurement> MeasureAsync(Func<Task<long>> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baselineHeap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baselineWorkingSet = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var peakHeap = baselineHeap;
        var peakWorkingSet = baselineWorkingSet;
        void Sample()
        {
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            process.Refresh();
            peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
        }

        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(SampleInterval);
            try
            {
                do
                {
                    Sample();
                }
                while (await timer.WaitForNextTickAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        });

        var stopwatch = Stopwatch.StartNew();
        long bytes;
        try
        {
            bytes = await action();
        }
        finally
        {
            stopwatch.Stop();
            await stop.CancelAsync();
            await sampler;
        }

        Sample();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Measurement(stopwatch.Elapsed, bytes, peakHeap - baselineHeap, peakWorkingSet - baselineWorkingSet, allocated);
    }
}
