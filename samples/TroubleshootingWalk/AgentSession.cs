using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace TroubleshootingWalk;

/// <summary>One answer the agent read: which tool, with what, and how many bytes of text came back.</summary>
public sealed record StepRecord(int Number, string Tool, string Arguments, int Bytes);

/// <summary>
/// The agent's side of the conversation: an MCP client over stdio to the server it started. Every call is printed
/// (tool, arguments, the answer trimmed, its size) and counted, because what an agent reads is what it pays for.
/// An answer marked as an error stops the walk.
/// </summary>
public sealed class AgentSession : IAsyncDisposable
{
    private readonly McpClient _client;
    private readonly TextWriter _output;
    private readonly WalkOptions _options;
    private readonly ServerLog _serverLog;
    private readonly List<StepRecord> _steps = [];

    // Arguments are printed as they travel, minus the \u0022-style escaping meant for HTML.
    private static readonly JsonSerializerOptions Display = new(McpJsonUtilities.DefaultOptions) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private AgentSession(McpClient client, TextWriter output, WalkOptions options, ServerLog serverLog, int toolCount, int toolListBytes)
    {
        _client = client;
        _output = output;
        _options = options;
        _serverLog = serverLog;
        ToolCount = toolCount;
        ToolListBytes = toolListBytes;
    }

    /// <summary>The answers read so far, in order.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Tools the server advertised.</summary>
    public int ToolCount { get; }

    /// <summary>Size of those tool definitions as JSON: read once per conversation, whatever the walk does.</summary>
    public int ToolListBytes { get; }

    /// <summary>
    /// Starts the server, connects, and checks that it advertises <paramref name="requiredTools"/> (a disabled
    /// plugin would otherwise surface as a confusing error halfway through).
    /// </summary>
    public static async Task<AgentSession> StartAsync(WalkOptions options, ServerLog serverLog, TextWriter output, IReadOnlyCollection<string> requiredTools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serverLog);
        ArgumentNullException.ThrowIfNull(output);
        var (command, arguments) = options.ServerCommand();
        output.WriteLine($"server: {command} {string.Join(' ', arguments)}");
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "mcp-cloud-tools",
            Command = command,
            Arguments = [.. arguments],
            // The sandbox never needs the instance-metadata address; make sure nothing on this machine tries it.
            EnvironmentVariables = new Dictionary<string, string?> { ["AWS_EC2_METADATA_DISABLED"] = "true" },
            StandardErrorLines = serverLog.Add,
        });

        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "troubleshooting-walk", Version = "1.0.0" },
                InitializationTimeout = options.CallTimeout,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new WalkException("start", $"could not start and initialize the server ({command}): {e.Message}", e);
        }

        try
        {
            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var missing = requiredTools.Where(t => !names.Contains(t)).ToList();
            if (missing.Count > 0)
            {
                throw new WalkException("tools/list", $"the server does not advertise {string.Join(", ", missing)}; is a plugin disabled?");
            }

            var bytes = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(tools.Select(t => t.ProtocolTool).ToList(), McpJsonUtilities.DefaultOptions));
            output.WriteLine($"tools/list: {tools.Count} tools, {Size(bytes)}");
            return new AgentSession(client, output, options, serverLog, tools.Count, bytes);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Calls a tool, prints the exchange, and returns the answer's text; an error answer throws <see cref="WalkException"/>.</summary>
    public async Task<string> CallAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(arguments, Display);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CallTimeout);
        CallToolResult result;
        try
        {
            result = await _client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WalkException(tool, $"no answer within {_options.CallTimeout.TotalSeconds:0} s (arguments {json}).");
        }
        catch (McpException e)
        {
            throw new WalkException(tool, $"the call failed: {e.Message} (arguments {json}).", e);
        }

        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        var step = new StepRecord(_steps.Count + 1, tool, json, Encoding.UTF8.GetByteCount(text));
        _steps.Add(step);
        _output.WriteLine();
        _output.WriteLine($"[{step.Number}] {tool} {json}  ({Size(step.Bytes)})");
        WriteTrimmed(text);
        if (result.IsError == true)
        {
            throw new WalkException(tool, $"the answer is an error: {FirstLine(text)}");
        }

        return text;
    }

    /// <summary>Prints what the agent concluded from the last answer and what it does next.</summary>
    public void Note(string decision) => _output.WriteLine($"  => {decision}");

    /// <summary>The end of the transcript: bytes per answer and in total.</summary>
    public void WriteTotals()
    {
        _output.WriteLine();
        _output.WriteLine("bytes read per answer:");
        foreach (var s in _steps)
        {
            _output.WriteLine($"  [{s.Number,2}] {s.Tool,-22} {s.Bytes,7:N0}");
        }

        _output.WriteLine($"total: {_steps.Count} answers, {_steps.Sum(s => s.Bytes):N0} bytes read (plus tools/list once: {ToolCount} tools, {ToolListBytes:N0} bytes)");
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    internal static string Size(int bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    internal static string FirstLine(string text) => text.Split('\n', 2)[0];

    private void WriteTrimmed(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        var shown = _options.Lines == 0 ? lines.Length : Math.Min(lines.Length, _options.Lines);
        foreach (var line in lines.Take(shown))
        {
            _output.WriteLine("    " + (_options.Lines > 0 && line.Length > 150 ? line[..149] + "…" : line));
        }

        if (shown < lines.Length)
        {
            _output.WriteLine($"    … {lines.Length - shown} more line{(lines.Length - shown == 1 ? "" : "s")}");
        }
    }
}

/// <summary>The server's stderr (its logs), kept short, shown only when the walk fails.</summary>
public sealed class ServerLog(int keep = 30)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > keep)
            {
                _lines.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Tail()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }
}

/// <summary>A step whose answer was an error or lacked what the walk needs; the message says which and why.</summary>
public sealed class WalkException(string step, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The tool (or phase) that failed.</summary>
    public string Step { get; } = step;
}
