using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Issue 12: a lone UTF-16 surrogate escape (<c>"\ud800"</c>) is valid JSON but not valid Unicode. Sent as the
/// spawned server's stdio client would send it, raw, it is refused naming the argument instead of failing the request
/// with <c>-32603 An error occurred.</c>
/// </summary>
public sealed class BrokenUnicodeTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("mct-unicode-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task ALoneSurrogateInAnArgument_IsAToolErrorNamingTheArgument()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { ServerProcess.Dll, "--sandbox", "--state", "none" }) psi.ArgumentList.Add(a);
        foreach (var (k, v) in ServerProcess.SafeEnvironment(_home)) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(ServerProcess.Patience);
            async Task<JsonElement> Send(int id, string method, string parameters)
            {
                await p.StandardInput.WriteLineAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""");
                await p.StandardInput.FlushAsync();
                while (await p.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.TryGetProperty("id", out var got) && got.GetInt32() == id) return doc.RootElement.Clone();
                }
                throw new InvalidOperationException("The server closed stdout.");
            }

            await Send(1, "initialize", """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}""");
            await p.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

            var lone = await Send(2, "tools/call", """{"name":"lambda_function_get","arguments":{"function":"orders\ud800"}}""");
            var inList = await Send(3, "tools/call", """{"name":"ec2_instance_describe","arguments":{"instance_ids":["i-0123456789abcdef0","\udc00"]}}""");
            var paired = await Send(4, "tools/call", """{"name":"lambda_function_get","arguments":{"function":"\ud83d\ude00"}}""");
            var inName = await Send(5, "tools/call", """{"name":"lambda_function_get","arguments":{"\ud800":"x"}}""");

            Text(lone).Should().Be("Invalid function: its JSON text has a lone UTF-16 surrogate escape at position 7. Send text as valid Unicode: "
                + "a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF one.");
            Text(inList).Should().StartWith("Invalid instance_ids[1]: its JSON text has a lone UTF-16 surrogate escape at position 1.");
            Text(paired).Should().StartWith("Invalid function '\U0001F600': it contains '\U0001F600' (U+1F600) at position 1", "a proper pair is valid Unicode, just not a name");
            inName.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602);
            inName.GetProperty("error").GetProperty("message").GetString().Should().Contain("an argument name is not valid Unicode");
        }
        finally
        {
            p.StandardInput.Close();
            if (!p.WaitForExit(10_000)) p.Kill(entireProcessTree: true);
        }
    }

    private static string Text(JsonElement response)
    {
        response.TryGetProperty("error", out _).Should().BeFalse($"a tool error, not a JSON-RPC error: {response}");
        var result = response.GetProperty("result");
        result.GetProperty("isError").GetBoolean().Should().BeTrue();
        return string.Concat(result.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
    }
}
