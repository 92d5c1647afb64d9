using System.Net.Sockets;
using System.Text;
using FluentAssertions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// The sandbox's request log: every request recorded as it arrived, and a target that could be read more than one
/// way flagged, so tests can prove that no client sent an unescaped or ambiguous segment.
/// </summary>
public sealed class RequestLogTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Theory]
    [InlineData("/clusters/prod/node-groups/ng-1", "/clusters/prod/node-groups/ng-1")]
    [InlineData("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders", "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders")]
    [InlineData("/api/v1/namespaces/web/pods?labelSelector=app%3Dweb&limit=500", "/api/v1/namespaces/web/pods")]
    [InlineData("/2015-03-31/functions/%24LATEST", "/2015-03-31/functions/$LATEST")]
    public void PlainTargets_AreNotFlagged(string rawTarget, string serverPath)
    {
        var (_, problems) = SandboxRequestLog.Analyse(rawTarget, serverPath);

        problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/clusters/a%2Fb", "/clusters/a%2Fb", "decodes to 'a/b'")]
    [InlineData("/api/v1/namespaces/web/pods/api%23x/log", "/api/v1/namespaces/web/pods/api#x/log", "decodes to 'api#x'")]
    [InlineData("/clusters/a%3Fb", "/clusters/a?b", "decodes to 'a?b'")]
    [InlineData("/clusters/i-1%00", "/clusters/i-1\0", "decodes to 'i-1\\u0000'")]
    [InlineData("/clusters/%2E%2E/x", "/x", "dot segment '%2E%2E'")]
    [InlineData("/clusters/../x", "/x", "the path was normalised from '/clusters/../x' to '/x'")]
    [InlineData("/clusters/a b", "/clusters/a b", "unescaped space at 11")]
    [InlineData("/clusters/caf\u00e9", "/clusters/caf\u00e9", "unescaped U+00E9")]
    [InlineData("/clusters/100%zz", "/clusters/100%zz", "malformed escape '%'")]
    public void AmbiguousTargets_AreFlaggedWithWhy(string rawTarget, string serverPath, string problem)
    {
        var (_, problems) = SandboxRequestLog.Analyse(rawTarget, serverPath);

        problems.Should().Contain(p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Values_AreTheDecodedSegmentsAndQueryValues()
    {
        var (values, _) = SandboxRequestLog.Analyse("/api/v1/namespaces/web/pods?fieldSelector=involvedObject.name%3Dapi-1&limit=5", "/api/v1/namespaces/web/pods");

        values.Should().Equal("api", "v1", "namespaces", "web", "pods", "involvedObject.name=api-1", "5");
    }

    [Fact]
    public async Task ARequestSentRawOverTheWire_IsRecordedAsSentAndFlagged()
    {
        var before = fixture.Host.Requests.Last;

        // What a client that splices a name in unescaped would send (HttpClient would have resolved the dots itself).
        var status = await SendRawAsync(fixture.Host.Endpoint, "GET /clusters/%2E%2E/node-groups HTTP/1.1");
        var plain = await SendRawAsync(fixture.Host.Endpoint, "GET /clusters/prod HTTP/1.1");

        status.Should().StartWith("HTTP/1.1 4", "an unsigned request is refused, never a 500");
        plain.Should().StartWith("HTTP/1.1 4");
        var records = fixture.Host.Requests.Since(before);
        records.Should().HaveCount(2);
        records[0].RawTarget.Should().Be("/clusters/%2E%2E/node-groups");
        records[0].IsAmbiguous.Should().BeTrue();
        records[0].Problems.Should().Contain(p => p.StartsWith("dot segment", StringComparison.Ordinal))
            .And.Contain(p => p.StartsWith("the path was normalised", StringComparison.Ordinal));
        records[1].IsAmbiguous.Should().BeFalse();
        records[1].Sequence.Should().Be(records[0].Sequence + 1);
    }

    private static async Task<string> SendRawAsync(Uri endpoint, string requestLine)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        await using var stream = client.GetStream();
        var request = Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: {endpoint.Authority}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? "";
    }
}
