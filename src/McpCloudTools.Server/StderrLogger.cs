using System.Text;

namespace McpCloudTools.Server;

/// <summary>
/// Logs one line per entry to stderr (stdout belongs to MCP in stdio mode), written synchronously. The console
/// logger's queue thread, options monitors and formatters cost a cold start more than the few lines this server
/// logs are worth. Aliased <c>Console</c>, so <c>Logging:Console:LogLevel</c> settings apply to it. An exception is
/// logged as its messages (outer to inner); the stack trace only with <paramref name="stackTraces"/> (log level
/// Debug or Trace), so a user reads what went wrong, not where.
/// </summary>
[ProviderAlias("Console")]
internal sealed class StderrLoggerProvider(TextWriter writer, bool stackTraces) : ILoggerProvider
{
    private readonly Lock _gate = new();

    private bool StackTraces { get; } = stackTraces;

    public ILogger CreateLogger(string categoryName) => new StderrLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            writer.Write(line);
            writer.Flush();
        }
    }

    private sealed class StderrLogger(StderrLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = new StringBuilder()
                .Append(DateTime.Now.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture))
                .Append(Level(logLevel)).Append(": ").Append(category).Append(": ")
                .Append(formatter(state, exception).ReplaceLineEndings(" "));
            if (exception is not null && provider.StackTraces)
            {
                line.Append(Environment.NewLine).Append(exception);
            }
            else
            {
                for (var e = exception; e is not null; e = e.InnerException)
                {
                    line.Append(" | ").Append(e.GetType().Name).Append(": ").Append(e.Message.ReplaceLineEndings(" "));
                }
            }

            provider.Write(line.Append(Environment.NewLine).ToString());
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
