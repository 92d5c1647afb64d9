using System.Text.Json;
using FluentAssertions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>CloudWatch Logs behaviours other services rely on: the write API and the GetLogEvents token protocol.</summary>
public sealed class LogsServiceTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var http = new HttpClient();
        using var response = await http.SendAsync(TestSigner.JsonRequest(fixture.Host.Endpoint, "Logs_20140328." + operation, json));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task EventsWrittenByAnotherService_AreReadableInTimeOrder()
    {
        var now = DateTimeOffset.UtcNow;
        fixture.Host.Context.Logs.Append("/aws/lambda/writer", "stream", now.AddSeconds(2), "second");
        fixture.Host.Context.Logs.Append("/aws/lambda/writer", "stream", now.AddSeconds(1), "first");

        var page = await CallAsync("GetLogEvents", """{"logGroupName":"/aws/lambda/writer","logStreamName":"stream","startFromHead":true}""");

        page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()).Should().Equal("first", "second");
    }

    [Fact]
    public async Task GetLogEvents_ReturnsTheSentTokenAtTheEndOfTheStream()
    {
        var now = DateTimeOffset.UtcNow;
        fixture.Host.Context.Logs.Append("/aws/lambda/tokens", "s", now, "only");

        var first = await CallAsync("GetLogEvents", """{"logGroupName":"/aws/lambda/tokens","logStreamName":"s","startFromHead":true}""");
        var token = first.GetProperty("nextForwardToken").GetString()!;
        var end = await CallAsync("GetLogEvents", $$"""{"logGroupName":"/aws/lambda/tokens","logStreamName":"s","nextToken":"{{token}}","startFromHead":true}""");

        token.Should().MatchRegex("^f/[0-9]{56}$");
        end.GetProperty("events").GetArrayLength().Should().Be(0);
        end.GetProperty("nextForwardToken").GetString().Should().Be(token);
    }

    [Fact]
    public async Task LogGroupIdentifier_AcceptsTheGroupArn()
    {
        var page = await CallAsync("DescribeLogStreams",
            """{"logGroupIdentifier":"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:*"}""");

        page.GetProperty("logStreams").GetArrayLength().Should().Be(2);
    }

    [Theory]
    [InlineData("ERROR", "ERROR disk full", true)]
    [InlineData("ERROR", "error disk full", false)]
    [InlineData("\"disk full\"", "ERROR disk full", true)]
    [InlineData("ERROR \"disk full\"", "ERROR disk almost full", false)]
    [InlineData("?WARN ?ERROR", "ERROR x", true)]
    [InlineData("?WARN ?ERROR", "INFO x", false)]
    [InlineData("ERROR -retrying", "ERROR retrying in 5s", false)]
    [InlineData("", "anything", true)]
    public void FilterPattern_MatchesLikeCloudWatch(string pattern, string message, bool matches) =>
        Services.Logs.FilterPattern.Parse(pattern).Matches(message).Should().Be(matches);
}
