using System.Globalization;

namespace TroubleshootingWalk;

/// <summary>The walk's command line, and how it finds the server to start.</summary>
public sealed record WalkOptions
{
    /// <summary>The server's name once installed as a .NET tool (<c>dotnet tool install -g McpCloudTools</c>).</summary>
    public const string ToolCommand = "mcp-cloud-tools";

    public const string Usage = """
        Usage: TroubleshootingWalk [--server PATH] [--timeout SECONDS] [--lines N] [-- SERVER-ARGS...]

        Starts mcp-cloud-tools --sandbox (an emulated AWS account; nothing reaches AWS) over stdio and walks what an
        agent does when asked "what is wrong?": clusters, unhealthy pods, a crash loop's description and previous log,
        failed Batch jobs and a diagnosis, failing Lambda functions. Prints every call with the bytes of its answer.

          --server PATH     the mcp-cloud-tools executable or mcp-cloud-tools.dll (run with dotnet). Default: the
                            mcp-cloud-tools.dll built next to this sample, else mcp-cloud-tools on PATH.
          --timeout SECONDS for each tool call (default 120)
          --lines N         answer lines printed per call (default 8; 0 prints whole answers)
          -- ARGS           more server arguments, e.g. -- --scenario empty

        The server always gets --sandbox --state none (no state file is read or written).
        Exit codes: 0 the walk found what it looked for; 1 a step failed (the message says which); 2 usage.
        """;

    /// <summary>Explicit server path (<c>--server</c>), or null to look next to the sample, then on PATH.</summary>
    public string? Server { get; init; }

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public int Lines { get; init; } = 8;

    public IReadOnlyList<string> ServerArgs { get; init; } = [];

    public bool Help { get; init; }

    /// <summary>Parses the command line; throws <see cref="FormatException"/> with a message for the user.</summary>
    public static WalkOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new WalkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--help" or "-h" => options with { Help = true },
                "--server" => options with { Server = Value() },
                "--timeout" => options with { CallTimeout = TimeSpan.FromSeconds(Number(args[i], Value(), min: 1)) },
                "--lines" => options with { Lines = Number(args[i], Value(), min: 0) },
                "--" => options with { ServerArgs = [.. args.Skip(i + 1)] },
                _ => throw new FormatException($"Unknown option '{args[i]}'."),
            };
            if (args[i] == "--")
            {
                break;
            }
        }

        return options;
    }

    /// <summary>
    /// The command that starts the server: a <c>.dll</c> runs under <c>dotnet</c>, anything else is executed as is.
    /// Without <c>--server</c>: the dll the sample's build put beside it (it references the server project), else the
    /// installed tool.
    /// </summary>
    public (string Command, IReadOnlyList<string> Arguments) ServerCommand()
    {
        var server = Server ?? (File.Exists(Path.Combine(AppContext.BaseDirectory, ToolCommand + ".dll"))
            ? Path.Combine(AppContext.BaseDirectory, ToolCommand + ".dll")
            : ToolCommand);
        if (Server is not null && !File.Exists(server))
        {
            throw new FormatException($"--server {server}: no such file.");
        }

        string[] flags = ["--sandbox", "--state", "none", .. ServerArgs];
        return server.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? ("dotnet", [server, .. flags])
            : (server, flags);
    }

    private static int Number(string flag, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new FormatException($"{flag} takes a whole number of at least {min}, not '{value}'.");
}
