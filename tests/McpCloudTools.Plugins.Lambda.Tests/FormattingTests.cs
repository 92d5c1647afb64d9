using System.Text;
using McpCloudTools.Core;
using McpCloudTools.Plugins.Lambda.Client;
using McpCloudTools.Plugins.Lambda.Services;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>Pure logic: since parsing, update diffs, invoke rendering, short renderings.</summary>
public sealed class FormattingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30s", "2026-11-25T11:59:30Z")]
    [InlineData("15m", "2026-11-25T11:45:00Z")]
    [InlineData("2H", "2026-11-25T10:00:00Z")]
    [InlineData("1.5d", "2026-11-24T00:00:00Z")]
    [InlineData("2026-11-25T09:30:00Z", "2026-11-25T09:30:00Z")]
    [InlineData("2026-11-25T10:30:00+01:00", "2026-11-25T09:30:00Z")]
    public void Since_ReadsDurationsAndTimes(string since, string expected) =>
        SinceParser.Parse(since, Now).Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("0m", "not understood")]
    [InlineData("5w", "not understood")]
    [InlineData("2026-11-26T00:00:00Z", "in the future")]
    [InlineData("31d", "more than 30 days")]
    public void Since_RefusesWhatItCannotUse(string since, string expected) =>
        FluentActions.Invoking(() => SinceParser.Parse(since, Now)).Should().Throw<ToolException>().WithMessage($"*{expected}*");

    [Fact]
    public void Diff_MergesEnvironment_AndLeavesItAloneWhenNothingChanges()
    {
        var current = new FunctionConfiguration
        {
            MemorySize = 128, Timeout = 3, Description = "",
            Environment = new EnvironmentResponse { Variables = new() { ["A"] = "1", ["B"] = "2" } },
        };

        var (lines, env) = ConfigUpdateService.Diff(current, new ConfigChange(256, 3, null,
            new Dictionary<string, string?> { ["B"] = "2", ["C"] = "3", ["A"] = null, ["ZZ"] = null }));
        var (same, none) = ConfigUpdateService.Diff(current, new ConfigChange(128, null, "", new Dictionary<string, string?> { ["A"] = "1" }));

        lines.Should().Equal("memory: 128 → 256 MB", "env A: removed", "env C: added (\uE0003\uE001)");
        env.Should().BeEquivalentTo(new Dictionary<string, string> { ["B"] = "2", ["C"] = "3" });
        same.Should().BeEmpty();
        none.Should().BeNull("an unchanged environment is not sent, so the update cannot clobber it");
    }

    [Fact]
    public void Diff_RefusesToMergeIntoVariablesThatCouldNotBeRead()
    {
        var current = new FunctionConfiguration
        {
            FunctionName = "secretive", MemorySize = 128,
            Environment = new EnvironmentResponse { Error = new EnvironmentError { ErrorCode = "AccessDeniedException", Message = "KMS denied" } },
        };

        var merge = () => ConfigUpdateService.Diff(current, new ConfigChange(null, null, null, new Dictionary<string, string?> { ["A"] = "1" }));
        var memoryOnly = ConfigUpdateService.Diff(current, new ConfigChange(256, null, null, null));

        merge.Should().Throw<ToolException>().WithMessage("The environment variables of secretive cannot be read (AccessDeniedException: KMS denied)*");
        memoryOnly.Lines.Should().Equal("memory: 128 → 256 MB");
    }

    [Fact]
    public void InvokeFormat_ErrorPayloadWithoutStack_ShowsTypeAndMessage()
    {
        var response = new InvokeResponse
        {
            StatusCode = 200, FunctionError = "Handled", ExecutedVersion = "7",
            Payload = Encoding.UTF8.GetBytes("""{"errorType":"Custom","errorMessage":"no stock"}"""),
        };

        InvokeService.Format("shop", "RequestResponse", response).Should().Be(
            "shop: FUNCTION ERROR (Handled), HTTP 200, version 7\nerror: Custom: no stock\npayload: 48B (the error above)");
    }

    [Fact]
    public void InvokePayload_BinaryIsDescribedNotDumped()
    {
        InvokeService.Payload([0xff, 0xfe, 0x00, 0x81]).Should().Be("payload: 4B of binary data (not UTF-8), not shown");
        InvokeService.Payload([]).Should().Be("payload: empty");
    }

    [Theory]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:orders", "sqs:orders")]
    [InlineData("arn:aws:dynamodb:us-east-1:123456789012:table/payments/stream/2026-01-05T10:00:00.000", "dynamodb:payments/stream")]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/audit", "kinesis:audit")]
    [InlineData("arn:aws:kafka:us-east-1:123456789012:cluster/x/abc", "kafka:cluster/x/abc")]
    public void Source_IsServiceAndName(string arn, string expected) => FunctionText.Source(arn).Should().Be(expected);

    [Fact]
    public void State_CombinesStateReasonAndUpdateStatus()
    {
        FunctionText.State(new FunctionConfiguration { State = "Active", LastUpdateStatus = "InProgress" }).Should().Be("Active, updating");
        FunctionText.State(new FunctionConfiguration { State = "Active", LastUpdateStatus = "Failed", LastUpdateStatusReasonCode = "EniLimitExceeded" })
            .Should().Be("Active, update Failed (EniLimitExceeded)");
        FunctionText.State(new FunctionConfiguration { State = "Pending", StateReasonCode = "Creating" }).Should().Be("Pending (Creating)");
    }

    [Fact]
    public void LastModified_ParsesLambdasOffsetWithoutAColon() =>
        new FunctionConfiguration { LastModified = "2024-05-01T12:00:00.000+0000" }.LastModifiedTime
            .Should().Be(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void EventSourceMappingLastModified_ReadsEpochSecondsWithAFraction()
    {
        var page = System.Text.Json.JsonSerializer.Deserialize(
            """{"EventSourceMappings":[{"UUID":"u","LastModified":1700000000.123,"Unknown":{"x":1}}],"NextMarker":null}""",
            LambdaJsonContext.Default.ListEventSourceMappingsResponse)!;

        page.EventSourceMappings![0].LastModified.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
    }
}
