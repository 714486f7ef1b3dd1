using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Host.Tests.Security;

/// <summary>
/// A logger provider that keeps everything a log sink could write: category, level, message, every
/// scope around it (HttpClient puts request URLs in scopes) and the exception with its stack trace.
/// </summary>
internal sealed class FullLogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, FullLogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            owner._scopes.ForEachScope((scope, builder) => builder.Append(" => ").Append(scope), line);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (name, value) in values) line.Append(' ').Append(name).Append('=').Append(value);
            }
            if (exception is not null) line.Append('\n').Append(exception);
            owner._lines.Enqueue(line.ToString());
        }
    }
}
