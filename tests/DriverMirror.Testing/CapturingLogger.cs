using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DriverMirror.Testing;

/// <summary>A logger that keeps every formatted message, so a test can assert what was (and was not) logged.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> messages = new();

    /// <summary>The formatted messages, in order.</summary>
    public IReadOnlyList<string> Messages => [.. messages];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        messages.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
