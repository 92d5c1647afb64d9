using System.Globalization;
using System.Text;
using McpCloudTools.Core.Safety;

namespace McpCloudTools.Server;

/// <summary>
/// Logs one line per entry to stderr (stdout belongs to MCP in stdio mode), written synchronously. The console
/// logger's queue thread, options monitors and formatters cost a cold start more than the few lines this server
/// logs are worth. Aliased <c>Console</c>, so <c>Logging:Console:LogLevel</c> settings apply to it. An exception is
/// logged as its messages (outer to inner); the stack trace only with <paramref name="stackTraces"/> (log level
/// Debug or Trace), so a user reads what went wrong, not where.
/// </summary>
/// <remarks>
/// The one place that keeps secrets and argument values out of the log, at every level: a structured entry's
/// message-content fields (the SDK logs whole JSON-RPC requests and responses at Trace as <c>{Message}</c>,
/// <c>{Request}</c>, <c>{Response}</c>…) are written as <c>[content omitted]</c>, and every line, exception messages
/// included, goes through <see cref="Redactor"/>, whatever <c>--allow-sensitive-data</c> says: that option is about
/// what the client sees, never about stderr.
/// </remarks>
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
        /// <summary>
        /// Structured fields that carry message contents (requests, responses, bodies, arguments) rather than facts
        /// about them; compared case-insensitively.
        /// </summary>
        private static readonly HashSet<string> ContentFields = new(StringComparer.OrdinalIgnoreCase)
        {
            "Message", "Request", "Response", "ResponseContent", "Data", "Arguments", "Params", "Parameters",
            "Body", "Content", "Payload", "Result",
        };

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = new StringBuilder()
                .Append(DateTime.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture))
                .Append(Level(logLevel)).Append(": ").Append(category).Append(": ")
                .Append(Format(state, exception, formatter).ReplaceLineEndings(" "));
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

            provider.Write(Redactor.Apply(line.Append(Environment.NewLine).ToString(), allowSensitive: false));
        }

        /// <summary>The entry's message, with message-content fields left out.</summary>
        private static string Format<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields || !fields.Any(f => ContentFields.Contains(f.Key)))
            {
                return formatter(state, exception);
            }

            var template = fields.FirstOrDefault(f => f.Key == "{OriginalFormat}").Value as string;
            if (template is null)
            {
                return string.Join(", ", fields.Select(f => $"{f.Key}={(ContentFields.Contains(f.Key) ? "[content omitted]" : Value(f.Value, null))}"));
            }

            // Message templates: {Name}, {Name,align}, {Name:format}; {{ and }} are literal braces.
            var text = new StringBuilder(template.Length);
            for (var i = 0; i < template.Length; i++)
            {
                var c = template[i];
                if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
                {
                    text.Append(c);
                    i++;
                    continue;
                }

                var end = c == '{' ? template.IndexOf('}', i + 1) : -1;
                if (end < 0)
                {
                    text.Append(c);
                    continue;
                }

                var hole = template[(i + 1)..end];
                var colon = hole.IndexOf(':', StringComparison.Ordinal);
                var name = (colon < 0 ? hole : hole[..colon]).Split(',')[0].Trim();
                var format = colon < 0 ? null : hole[(colon + 1)..];
                var field = fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.Ordinal));
                text.Append(ContentFields.Contains(name) ? "[content omitted]" : Value(field.Value, format));
                i = end;
            }

            return text.ToString();
        }

        private static string Value(object? value, string? format) => value switch
        {
            null => "(null)",
            string s => s,
            IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable items => string.Join(", ", items.Cast<object?>().Select(x => Value(x, null))),
            _ => value.ToString() ?? "",
        };

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
