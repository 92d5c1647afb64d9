using TroubleshootingWalk;

// Ctrl+C ends the walk, and with it the server it started.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return (await WalkCommand.RunAsync(args, Console.Out, Console.Error, stop.Token)).ExitCode;
