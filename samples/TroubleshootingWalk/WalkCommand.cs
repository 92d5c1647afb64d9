namespace TroubleshootingWalk;

/// <summary>The walk's exit code and, when it got to the end, its findings.</summary>
public sealed record WalkResult(int ExitCode, WalkReport? Report);

/// <summary>The program: parse the command line, start the server, walk, print the findings and the bytes read.</summary>
public static class WalkCommand
{
    public const int Success = 0;
    public const int StepFailed = 1;
    public const int UsageError = 2;

    /// <summary>Runs the walk; the transcript goes to <paramref name="output"/>, a failure's explanation to <paramref name="error"/>.</summary>
    public static async Task<WalkResult> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        WalkOptions options;
        try
        {
            options = WalkOptions.Parse(args);
            if (!options.Help)
            {
                options.ServerCommand();
            }
        }
        catch (FormatException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine(WalkOptions.Usage);
            return new WalkResult(UsageError, null);
        }

        if (options.Help)
        {
            output.WriteLine(WalkOptions.Usage);
            return new WalkResult(Success, null);
        }

        var serverLog = new ServerLog();
        try
        {
            await using var agent = await AgentSession.StartAsync(options, serverLog, output, Walk.Tools, cancellationToken).ConfigureAwait(false);
            var report = await new Walk(agent).RunAsync(cancellationToken).ConfigureAwait(false);
            report.WriteTo(output);
            agent.WriteTotals();
            return new WalkResult(Success, report);
        }
        catch (WalkException e)
        {
            error.WriteLine($"troubleshooting walk failed at {e.Step}: {e.Message}");
            var tail = serverLog.Tail();
            if (tail.Count > 0)
            {
                error.WriteLine("last lines of the server's log (stderr):");
                foreach (var line in tail)
                {
                    error.WriteLine("  " + line);
                }
            }

            return new WalkResult(StepFailed, null);
        }
    }
}
