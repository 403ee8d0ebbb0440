namespace DriverMirror.Storage;

/// <summary>Runs an idempotent async set-up step (create a table, container or queue) once per process; a failed run is retried next time.</summary>
public sealed class OnceAsync(Func<CancellationToken, Task> step)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool done;

    /// <summary>Runs the step unless it already succeeded.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (done)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!done)
            {
                await step(cancellationToken);
                done = true;
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
