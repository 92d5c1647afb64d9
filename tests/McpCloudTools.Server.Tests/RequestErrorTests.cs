using System.Net;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Requests of the wrong shape get an actionable JSON-RPC error naming the field (-32602 invalid params), not
/// "-32603 An error occurred.", over stdio and HTTP alike.
/// </summary>
public sealed class RequestErrorTests
{
    public static TheoryData<string, int, string> Requests => new()
    {
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"plugins_list","arguments":"check_health"}}""", -32602,
            "'arguments' must be a JSON object mapping argument names to values, not a string" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"plugins_list","arguments":[true]}}""", -32602,
            "'arguments' must be a JSON object mapping argument names to values, not an array" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}""", -32602, "'name' is required" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":7}}""", -32602, "'name' must be a string" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":"all"}""", -32602, "'params' must be a JSON object, not a string" },
        { """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"bogus"}}""", -32602,
            "Invalid 'cursor': tools/list returns everything in one page" },
        { """{"jsonrpc":"2.0","id":1,"method":"resources/list","params":{"cursor":"bogus"}}""", -32602, "Invalid 'cursor': resources/list" },
        { """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"not a uri"}}""", -32602,
            "'uri' must be an absolute resource URI such as ec2://<instance>/instances/<id>" },
        { """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{}}""", -32602, "'uri' is required" },
        { """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"ec2://nowhere/instances/i-1"}}""", -32002,
            "no ec2 instance 'nowhere'. resources/list shows" },
        { """{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"ec2://ec2/instances/i-0123456789abcdef0"}}""", -32603,
            "Cannot read 'ec2://ec2/instances/i-0123456789abcdef0': " },
    };

    [Fact]
    public async Task OverStdio_WrongShapes_AreActionableErrors()
    {
        await using var server = await RawStdioProcess.StartAsync("--sandbox");
        foreach (var row in Requests)
        {
            var (line, code, message) = ((string)row[0], (int)row[1], (string)row[2]);

            await server.SendAsync(line);
            var answer = await server.ReadAsync();

            answer.GetProperty("id").GetInt32().Should().Be(1, line);
            answer.GetProperty("error").GetProperty("code").GetInt32().Should().Be(code, line);
            answer.GetProperty("error").GetProperty("message").GetString().Should().Contain(message, line).And.NotBe("An error occurred.");
        }

        await server.PingAsync(2);
    }

    [Fact]
    public async Task OverHttp_ArgumentsAsAString_IsInvalidParams()
    {
        await using var server = await TestServer.StartAsync();
        var session = await McpHttp.OpenSessionAsync(server.Http);

        var (status, body, _) = await McpHttp.SendAsync(server.Http, McpHttp.Post((string)Requests.First()[0], session));

        status.Should().Be(HttpStatusCode.OK);
        var data = body.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        var error = JsonDocument.Parse(data).RootElement.GetProperty("error");
        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("message").GetString().Should().Contain("'arguments' must be a JSON object");
    }
}
