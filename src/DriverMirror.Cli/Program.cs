using DriverMirror.Cli;

// The first Ctrl+C cancels the run (storage writes finish or roll back cleanly); a second one ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

return await CliApplication.RunAsync(args, Console.Out, Console.Error, extraSettings: null, cancellation.Token);
