using System.Text;
using System.Text.Json;

namespace McpCloudTools.Server.Tests;

/// <summary>
/// Every line a client writes to stdin gets an answer as the JSON-RPC spec prescribes (-32700 for what is not JSON,
/// id null; -32600 for what is not a valid request, with its id when it can be read), and no bad line stalls the
/// stream: the next good request is answered.
/// </summary>
public sealed class StdioFramingTests
{
    public static TheoryData<string, string, int, object?, string> Lines => new()
    {
        { "truncated JSON", """{"jsonrpc":"2.0","id":1,"method":""", -32700, null, "not valid JSON" },
        { "not JSON at all", "hello there", -32700, null, "not valid JSON" },
        { "two values on a line", """{"jsonrpc":"2.0","id":1,"method":"ping"} {}""", -32700, null, "not valid JSON" },
        { "a number", "42", -32600, null, "is a JSON object" },
        { "a string", "\"tools/list\"", -32600, null, "is a JSON object" },
        { "null", "null", -32600, null, "is a JSON object" },
        { "an object id", """{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}""", -32600, null, "'id' must be a string or an integer" },
        { "a float id", """{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}""", -32600, null, "'id' must be a string or an integer" },
        { "a boolean id", """{"jsonrpc":"2.0","id":true,"method":"tools/list"}""", -32600, null, "'id' must be a string or an integer" },
        { "a null id on a request", """{"jsonrpc":"2.0","id":null,"method":"tools/list"}""", -32600, null, "'id' must not be null" },
        { "a batch", """[{"jsonrpc":"2.0","id":2,"method":"tools/list"}]""", -32600, null, "batches" },
        { "an empty batch", "[]", -32600, null, "batches" },
        { "no jsonrpc member", """{"id":"x7","method":"tools/list"}""", -32600, "x7", "'jsonrpc' must be \"2.0\"" },
        { "jsonrpc 1.0", """{"jsonrpc":"1.0","id":8,"method":"tools/list"}""", -32600, 8, "'jsonrpc' must be \"2.0\"" },
        { "a numeric method", """{"jsonrpc":"2.0","id":9,"method":5}""", -32600, 9, "'method' must be a string" },
        { "neither method nor result", """{"jsonrpc":"2.0","id":10}""", -32600, 10, "needs a 'method'" },
        { "deep nesting", """{"jsonrpc":"2.0","id":11,"method":"tools/list","params":{"x":""" + new string('[', 100) + new string(']', 100) + "}}",
            -32600, 11, "nests more than 64 levels" },
    };

    [Fact]
    public async Task EveryMalformedLine_IsAnswered_AndTheNextRequestStillIs()
    {
        await using var server = await RawStdioProcess.StartAsync();
        var ping = 1000;
        foreach (var row in Lines)
        {
            var (name, line, code, id, message) = ((string)row[0], (string)row[1], (int)row[2], row[3], (string)row[4]);

            await server.SendAsync(line);
            var answer = await server.ReadAsync();

            answer.GetProperty("jsonrpc").GetString().Should().Be("2.0", name);
            answer.GetProperty("error").GetProperty("code").GetInt32().Should().Be(code, name);
            answer.GetProperty("error").GetProperty("message").GetString().Should().Contain(message, name);
            var answeredId = answer.GetProperty("id");
            switch (id)
            {
                case null:
                    answeredId.ValueKind.Should().Be(JsonValueKind.Null, name);
                    break;
                case string s:
                    answeredId.GetString().Should().Be(s, name);
                    break;
                default:
                    answeredId.GetInt32().Should().Be((int)id, name);
                    break;
            }

            await server.PingAsync(ping++);
        }
    }

    [Fact]
    public async Task NestingTheSdkAccepts_PassesThrough()
    {
        await using var server = await RawStdioProcess.StartAsync();

        // 62 arrays inside params reach reader depth 63: the deepest the SDK parses.
        await server.SendAsync("""{"jsonrpc":"2.0","id":5,"method":"ping","params":{"_x":""" + new string('[', 62) + new string(']', 62) + "}}");

        var answer = await server.ReadAsync();
        answer.TryGetProperty("result", out _).Should().BeTrue(answer.ToString());
    }

    [Fact]
    public async Task AHugeLine_IsAnsweredWithItsId_WithoutBeingHeldInMemory()
    {
        await using var server = await RawStdioProcess.StartAsync();
        var huge = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":77,"method":"tools/call","params":{"name":"plugins_list","arguments":{"x":""" + "\"" +
                                          new string('A', 50_000_000) + "\"}}}");

        await server.SendAsync(huge);
        var answer = await server.ReadAsync();

        answer.GetProperty("id").GetInt32().Should().Be(77);
        answer.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32600);
        answer.GetProperty("error").GetProperty("message").GetString().Should()
            .Contain("Request too large: the line is 50,000,").And.Contain("the limit is 4,194,304 (--max-request-bytes)");
        await server.SendAsync(Enumerable.Repeat((byte)'#', 20_000_000).ToArray());
        (await server.ReadAsync()).GetProperty("error").GetProperty("message").GetString().Should().Contain("Request too large");
        await server.PingAsync(78);
        // Before the line reader, one such line took the process to 2.1 GB.
        server.PeakMemoryBytes().Should().BeLessThan(1L << 30);
    }

    [Fact]
    public async Task TheLineLimit_IsConfigurable()
    {
        await using var server = await RawStdioProcess.StartAsync("--max-request-bytes", "2048");

        await server.SendAsync("""{"jsonrpc":"2.0","id":3,"method":"ping","params":{"_pad":""" + "\"" + new string('p', 4000) + "\"}}");

        (await server.ReadAsync()).GetProperty("error").GetProperty("message").GetString().Should().Contain("the limit is 2,048");
        await server.PingAsync(4);
    }
}
