using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using DriverMirror.Bench;
using DriverMirror.Testing;
using Spectre.Console;

var sizes = new Option<int[]>("--sizes")
{
    Description = "Payload sizes of the archives published one by one, in MiB, comma-separated.",
    HelpName = "mib,mib,...",
    DefaultValueFactory = _ => [16, 64, 256],
    CustomParser = ParseSizes,
};
var repetitions = PositiveOption("--repetitions", 3, "Measured repetitions of every scenario, in alternating order; medians and per-repetition ratios are reported.");
var drivers = PositiveOption("--drivers", 8, "Drivers synced together in the shared-download scenario.");
var sharedSize = PositiveOption("--shared-size", 32, "Payload size of the shared-download archive, in MiB.");
var parallelism = PositiveOption("--parallelism", 4, "Drivers SyncManyAsync syncs at once (Mirror:Parallelism's default is 4).");

var root = new RootCommand("End-to-end benchmark of the mirror on 127.0.0.1: a loopback upstream, Azurite, and MirrorService.")
{
    sizes, repetitions, drivers, sharedSize, parallelism,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var settings = new BenchSettings(parse.GetValue(sizes)!, parse.GetValue(repetitions), parse.GetValue(drivers), parse.GetValue(sharedSize), parse.GetValue(parallelism));
    var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
    if (Console.IsOutputRedirected)
    {
        // A redirected console reports 80 columns; the tables are wider and must not wrap in a log or the README.
        console.Profile.Width = 200;
    }

    void Log(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
    var total = Stopwatch.StartNew();

    // The facts are printed at the end, with the load at the end of the run; stdout gets nothing before then.
    var facts = MachineFacts.Describe().ToList();
    var loadAtStart = MachineLoad.Read();
    var cpuAtStart = CpuUse.Take();
    Log($"load at start: {loadAtStart?.ToString() ?? "unknown"}");
    foreach (var warning in MachineFacts.LoadWarnings(loadAtStart, null, null))
    {
        Log(warning);
    }

    Log($"starting Azurite: {AzuriteServer.Shared.ConnectionString.Split(";BlobEndpoint=")[1].Split(';')[0]}");
    await using var rig = await BenchRig.StartAsync(cancellationToken);
    using var archives = new ArchiveFiles();
    foreach (var size in settings.SizesMiB.Append(settings.SharedSizeMiB).Distinct())
    {
        var archive = await archives.GetAsync(size, cancellationToken);
        Log($"generated a {archive.MiB:F1} MiB tar.gz at {archive.Path}");
    }

    var publish = await PublishBenchmark.RunAsync(rig, archives, settings, Log, cancellationToken);
    var shared = await SharedDownloadBenchmark.RunAsync(rig, archives, settings, Log, cancellationToken);
    var loadAtEnd = MachineLoad.Read();
    var cpuAtEnd = CpuUse.Take();
    Log($"load at end: {loadAtEnd?.ToString() ?? "unknown"}");

    console.Write(ReportTables.Facts(facts.Concat(MachineFacts.Load(loadAtStart, loadAtEnd, cpuAtStart, cpuAtEnd))));
    console.WriteLine();
    foreach (var warning in MachineFacts.LoadWarnings(loadAtStart, cpuAtStart, cpuAtEnd))
    {
        console.WriteLine(warning);
        Log(warning);
    }

    console.WriteLine();
    var medians = $"median of {settings.Repetitions}";
    var ratios = $"each ratio taken within every repetition: median (min–max) of {settings.Repetitions}";
    console.MarkupLine($"[bold]Publish: one archive from the loopback upstream[/] ({medians})");
    console.Write(ReportTables.Throughput(publish));
    console.WriteLine();
    console.MarkupLine($"[bold]Publish ratios[/] ({ratios})");
    console.Write(ReportTables.Ratios(publish));
    console.WriteLine();
    console.MarkupLine($"[bold]Memory during one publish[/]: peak growth over a post-GC baseline, and bytes allocated ({medians})");
    console.Write(ReportTables.Memory(publish));
    console.WriteLine();
    console.MarkupLine($"[bold]Shared downloads[/]: {settings.Drivers} new drivers of {shared.Archive.MiB:F1} MiB in one SyncManyAsync, parallelism {settings.Parallelism} ({medians}; ratio row: {ratios})");
    console.Write(ReportTables.SharedDownloads(shared));
    console.WriteLine();
    console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Whole run: {total.Elapsed.TotalSeconds:F0} s (Azurite start, archive generation and warm-ups included)."));
    return 0;
});

return await root.Parse(args).InvokeAsync();

static Option<int> PositiveOption(string name, int defaultValue, string description)
{
    var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
    option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < 1)
        {
            result.AddError($"{name} must be at least 1.");
        }
    });
    return option;
}

static int[] ParseSizes(ArgumentResult result)
{
    var words = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    var sizes = new List<int>();
    foreach (var word in words)
    {
        // The mirror refuses archives over Mirror:MaxArtifactBytes (512 MiB by default).
        if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > 500)
        {
            result.AddError($"--sizes: '{word}' is not a size in MiB from 1 to 500.");
            return [];
        }

        sizes.Add(size);
    }

    if (sizes.Count == 0)
    {
        result.AddError("--sizes: give at least one size in MiB.");
    }

    return [.. sizes.Distinct()];
}
