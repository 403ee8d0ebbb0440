using DriverMirror.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace DriverMirror.Cli;

/// <summary>What a command's action works with: the library's services and the streams it writes to.</summary>
internal sealed class CliContext(IServiceProvider services, TextWriter stdout, TextWriter stderr, bool interactive)
{
    private IAnsiConsole? console;

    /// <summary>Where results go; scripts parse this.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Where errors and logs go.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>Whether stdout is a terminal a person watches: tables and live progress instead of plain lines.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>A Spectre console over <see cref="Out"/>, for terminal output only.</summary>
    public IAnsiConsole Console => console ??= AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out) });

    public MirrorOptions Options => Get<IOptions<MirrorOptions>>().Value;

    public StorageClients Storage => Get<StorageClients>();

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();
}
