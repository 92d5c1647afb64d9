using FluentAssertions;
using McpCloudTools.Aws.Logs;

namespace McpCloudTools.Aws.Tests;

/// <summary>Our CloudWatch Logs client against the sandbox: every operation, paging, and the GetLogEvents token quirk.</summary>
public sealed class CloudWatchLogsClientTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Group = "/aws/logs-client-tests";
    private CloudWatchLogsClient Client => new(fixture.Context());

    private void WriteStream(string stream, int count, DateTimeOffset start)
    {
        fixture.Host.Context.Logs.CreateGroup(Group, start);
        for (var i = 0; i < count; i++)
            fixture.Host.Context.Logs.Append(Group, stream, start.AddSeconds(i), i % 3 == 0 ? $"ERROR request {i} failed" : $"INFO request {i} ok");
    }

    [Fact]
    public async Task DescribeAllLogGroups_FollowsNextTokenUpToTheItemLimit()
    {
        var all = await Client.DescribeAllLogGroupsAsync(new DescribeLogGroupsRequest { LogGroupNamePrefix = "/aws/lambda/", Limit = 1 },
            new PageLimits(), CancellationToken.None);
        var limited = await Client.DescribeAllLogGroupsAsync(new DescribeLogGroupsRequest { Limit = 1 },
            new PageLimits(MaxItems: 2), CancellationToken.None);

        all.Items.Select(g => g.LogGroupName).Should().Equal("/aws/lambda/orders-api", "/aws/lambda/thumbnail-worker");
        all.IsTruncated.Should().BeFalse();
        all.Items[0].Arn.Should().Be("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders-api:*");
        limited.Items.Should().HaveCount(2);
        limited.NextToken.Should().NotBeNull();
        limited.Pages.Should().Be(2);
    }

    [Fact]
    public async Task DescribeLogStreams_OrdersByLastEventTimeDescending()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        WriteStream("old", 2, start);
        WriteStream("new", 2, start.AddMinutes(10));

        var response = await Client.DescribeLogStreamsAsync(new DescribeLogStreamsRequest
        {
            LogGroupName = Group, OrderBy = "LastEventTime", Descending = true,
        }, CancellationToken.None);

        response.LogStreams!.Select(s => s.LogStreamName).Take(2).Should().Equal("new", "old");
        response.LogStreams![0].LastEventTimestamp.Should().Be(start.AddMinutes(10).AddSeconds(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task GetAllLogEvents_ReadsForwardUntilTheTokenComesBackUnchanged()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        WriteStream("forward", 25, start);

        var result = await Client.GetAllLogEventsAsync(new GetLogEventsRequest
        {
            LogGroupName = Group, LogStreamName = "forward", StartFromHead = true, Limit = 10,
        }, new PageLimits(MaxPages: 10), CancellationToken.None);

        result.Items.Select(e => e.Message).Should().HaveCount(25).And.StartWith("ERROR request 0 failed").And.EndWith("ERROR request 24 failed");
        result.IsTruncated.Should().BeFalse();
        result.Pages.Should().Be(4, "three pages of events, then the empty page whose token equals the one sent");
    }

    [Fact]
    public async Task GetLogEvents_DefaultsToTheNewestPageAndPagesBackwards()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        WriteStream("backward", 12, start);

        var newest = await Client.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = Group, LogStreamName = "backward", Limit = 5 },
            CancellationToken.None);
        var older = await Client.GetLogEventsAsync(new GetLogEventsRequest
        {
            LogGroupName = Group, LogStreamName = "backward", Limit = 5, NextToken = newest.NextBackwardToken,
        }, CancellationToken.None);

        newest.Events!.Select(e => e.Message).Should().Equal(Enumerable.Range(7, 5).Select(i => i % 3 == 0 ? $"ERROR request {i} failed" : $"INFO request {i} ok"));
        older.Events!.Select(e => e.Timestamp!.Value).Should().Equal(Enumerable.Range(2, 5).Select(i => start.AddSeconds(i).ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task GetLogEvents_TimeWindowIsStartInclusiveEndExclusive()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-4);
        WriteStream("window", 10, start);

        var response = await Client.GetLogEventsAsync(new GetLogEventsRequest
        {
            LogGroupName = Group, LogStreamName = "window", StartFromHead = true,
            StartTime = start.AddSeconds(2).ToUnixTimeMilliseconds(), EndTime = start.AddSeconds(5).ToUnixTimeMilliseconds(),
        }, CancellationToken.None);

        response.Events!.Select(e => e.Message).Should().Equal("INFO request 2 ok", "ERROR request 3 failed", "INFO request 4 ok");
    }

    [Fact]
    public async Task FilterAllLogEvents_MatchesTermsPhrasesAlternativesAndExclusions()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-5);
        WriteStream("filter-a", 9, start);
        WriteStream("filter-b", 9, start.AddMilliseconds(500));

        var errors = await Client.FilterAllLogEventsAsync(new FilterLogEventsRequest
        {
            LogGroupName = Group, LogStreamNamePrefix = "filter-", FilterPattern = "ERROR -\"request 6\"", Limit = 2,
        }, new PageLimits(), CancellationToken.None);
        var either = await Client.FilterAllLogEventsAsync(new FilterLogEventsRequest
        {
            LogGroupName = Group, LogStreamNames = ["filter-a"], FilterPattern = "?\"request 1 ok\" ?\"request 2 ok\"",
        }, new PageLimits(), CancellationToken.None);

        errors.Items.Select(e => (e.LogStreamName, e.Message)).Should().Equal(
            ("filter-a", "ERROR request 0 failed"), ("filter-b", "ERROR request 0 failed"),
            ("filter-a", "ERROR request 3 failed"), ("filter-b", "ERROR request 3 failed"));
        errors.Pages.Should().Be(2);
        either.Items.Select(e => e.Message).Should().Equal("INFO request 1 ok", "INFO request 2 ok");
    }

    [Fact]
    public async Task UnknownGroup_IsANotFoundSayingWhereAndWhatToTry()
    {
        var act = () => Client.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = "/aws/lambda/missing", LogStreamName = "s" },
            CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.NotFound);
        error.ErrorCode.Should().Be("ResourceNotFoundException");
        error.RequestId.Should().NotBeNullOrEmpty();
        error.Message.Should().Contain("log stream 's' in log group '/aws/lambda/missing' does not exist in region us-east-1")
            .And.Contain("DescribeLogStreams");
    }

    [Fact]
    public async Task InvalidLimit_IsAValidationError()
    {
        var act = () => Client.DescribeLogGroupsAsync(new DescribeLogGroupsRequest { Limit = 51 }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.Validation);
        error.Message.Should().Contain("less than or equal to 50");
    }
}
