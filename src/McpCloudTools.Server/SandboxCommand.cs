namespace McpCloudTools.Server;

/// <summary><c>mcp-cloud-tools sandbox</c>: the emulated AWS account alone, for any AWS client.</summary>
internal static class SandboxCommand
{
    public static async Task<int> RunAsync(CommandLine commandLine, CancellationToken cancellationToken)
    {
        _ = commandLine;
        _ = cancellationToken;
        await Console.Error.WriteLineAsync("mcp-cloud-tools: the sandbox command is wired once the sandbox lands.").ConfigureAwait(false);
        return 2;
    }
}
