using DriverMirror.Mirroring;
using Spectre.Console;

namespace DriverMirror.Cli.Output;

/// <summary>
/// A live Spectre progress display for a sync: one bar per driver and platform with bytes, speed and stage.
/// Reports arrive from several drivers' tasks at once, so the display is updated under a lock and synchronously
/// (a <see cref="Progress{T}"/> would post reports out of order). A row stops at a terminal stage: <c>done</c>,
/// <c>unchanged</c> (nothing to fetch) or <c>failed</c>, so a failed platform no longer spins until the whole sync ends.
/// </summary>
internal sealed class SyncProgressDisplay : IProgress<SyncProgress>
{
    private readonly ProgressContext context;
    private readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);

    private SyncProgressDisplay(ProgressContext context) => this.context = context;

    public static Task<T> RunAsync<T>(IAnsiConsole console, Func<IProgress<SyncProgress>, Task<T>> work) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new SpinnerColumn())
            .StartAsync(context => work(new SyncProgressDisplay(context)));

    public void Report(SyncProgress value)
    {
        lock (tasks)
        {
            var key = $"{value.Name} {value.Platform}";
            if (!tasks.TryGetValue(key, out var task))
            {
                tasks[key] = task = context.AddTask(Markup.Escape(key), autoStart: true, maxValue: 1);
            }

            var reached = task.Value;
            task.Description = Markup.Escape($"{value.Name} [{value.Platform}] {value.Stage}");
            if (value.TotalBytes is > 0 and var total)
            {
                task.IsIndeterminate = false;
                task.MaxValue = total;
            }
            else
            {
                task.IsIndeterminate = true;
                task.MaxValue = Math.Max(task.MaxValue, value.Bytes);
            }

            task.Value = value.Bytes;
            switch (value.Stage)
            {
                case "done" or "unchanged" or "failed":
                    // Nothing more will come for this row. A finished row shows a full bar; a failed one stops where it got
                    // to (the description says "failed").
                    task.IsIndeterminate = false;
                    task.MaxValue = Math.Max(1, Math.Max(task.MaxValue, value.Bytes));
                    task.Value = value.Stage == "failed" ? Math.Max(reached, value.Bytes) : task.MaxValue;
                    task.StopTask();
                    break;
            }
        }
    }

    /// <summary>Whether the row of <paramref name="name"/> and <paramref name="platform"/> has stopped (a terminal stage arrived).</summary>
    internal bool IsStopped(string name, string platform)
    {
        lock (tasks)
        {
            return tasks.TryGetValue($"{name} {platform}", out var task) && task.StopTime is not null;
        }
    }
}
