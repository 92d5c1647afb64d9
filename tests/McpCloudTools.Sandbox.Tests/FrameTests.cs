using System.Net;
using System.Text;
using System.Text.Json;
using FluentAssertions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>The frame: routing by credential scope, error shapes per protocol, faults and clock through the control endpoint.</summary>
public sealed class FrameTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();
    private static readonly HttpClient Http = new();

    public Task InitializeAsync() => _sandbox.InitializeAsync();

    public Task DisposeAsync() => _sandbox.DisposeAsync();

    private Uri Endpoint => _sandbox.Host.Endpoint;

    private static async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ThrottlingFault_IsWrittenInEachProtocolsOwnShape()
    {
        _sandbox.Host.Faults.Set("sts", new FaultSettings { ThrottleNext = 1 });
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ThrottleNext = 1, RetryAfterSeconds = 3 });

        var (sts, stsBody) = await SendAsync(TestSigner.FormRequest(Endpoint, "Action=GetCallerIdentity&Version=2011-06-15"));
        var (logs, logsBody) = await SendAsync(TestSigner.JsonRequest(Endpoint, "Logs_20140328.DescribeLogGroups", "{}"));

        sts.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        stsBody.Should().Contain("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>Throttling</Code>");
        logs.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        logs.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
        logs.Headers.GetValues("x-amzn-RequestId").Single().Should().NotBeEmpty();
        JsonDocument.Parse(logsBody).RootElement.GetProperty("__type").GetString().Should().Be("ThrottlingException");
    }

    [Fact]
    public async Task ServerErrorFault_AffectsExactlyTheNextCalls()
    {
        _sandbox.Host.Faults.Set("logs", new FaultSettings { ErrorNext = 1 });

        var (first, _) = await SendAsync(TestSigner.JsonRequest(Endpoint, "Logs_20140328.DescribeLogGroups", "{}"));
        var (second, _) = await SendAsync(TestSigner.JsonRequest(Endpoint, "Logs_20140328.DescribeLogGroups", "{}"));

        first.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ControlEndpoint_SetsFaultsAndReportsState()
    {
        var post = await Http.PostAsync(new Uri(Endpoint, "/_sandbox/faults"),
            new StringContent("""{"service":"logs","throttleRate":0.25,"latencyMs":5}""", Encoding.UTF8, "application/json"));
        var state = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Endpoint, "/_sandbox/state"))).RootElement;

        post.StatusCode.Should().Be(HttpStatusCode.OK);
        state.GetProperty("faults").GetProperty("logs").GetProperty("throttleRate").GetDouble().Should().Be(0.25);
        state.GetProperty("services").GetProperty("logs").GetProperty("groups").GetInt64().Should().Be(4);
        state.GetProperty("accountId").GetString().Should().Be("123456789012");

        await Http.DeleteAsync(new Uri(Endpoint, "/_sandbox/faults"));
        _sandbox.Host.Faults.Snapshot().Should().BeEmpty();
    }

    [Fact]
    public async Task ControlEndpoint_AdvancesTheSandboxClock()
    {
        var before = _sandbox.Host.Clock.UtcNow;

        await Http.PostAsync(new Uri(Endpoint, "/_sandbox/clock"),
            new StringContent("""{"advanceSeconds":3600,"speed":0}""", Encoding.UTF8, "application/json"));

        _sandbox.Host.Clock.UtcNow.Should().BeOnOrAfter(before.AddHours(1));
        _sandbox.Host.Clock.Speed.Should().Be(0);
    }

    [Fact]
    public async Task UnknownService_IsRefusedNamingTheServicesServed()
    {
        var (response, body) = await SendAsync(TestSigner.JsonRequest(Endpoint, "Foo.Bar", "{}", service: "dynamodb"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Should().Contain("UnknownServiceException").And.Contain("it serves: sts, logs");
    }

    [Fact]
    public async Task UnsignedCall_GetsMissingAuthenticationToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Target", "Logs_20140328.DescribeLogGroups");

        var (response, body) = await SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        body.Should().Contain("MissingAuthenticationTokenException");
    }

    [Fact]
    public async Task UnknownAccessKey_IsInvalidClientTokenIdForQueryAndUnrecognizedClientForJson()
    {
        var (sts, stsBody) = await SendAsync(TestSigner.FormRequest(Endpoint, "Action=GetCallerIdentity&Version=2011-06-15", accessKey: "AKIAUNKNOWN"));
        var (logs, logsBody) = await SendAsync(TestSigner.JsonRequest(Endpoint, "Logs_20140328.DescribeLogGroups", "{}", accessKey: "AKIAUNKNOWN"));

        sts.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        stsBody.Should().Contain("<Code>InvalidClientTokenId</Code>");
        logs.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        logsBody.Should().Contain("\"__type\":\"UnrecognizedClientException\"");
    }

    [Fact]
    public async Task UnsignedWebIdentityCall_IsRoutedToStsAndIssuesKeysTheSandboxAccepts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fpod"
                + "&RoleSessionName=web&WebIdentityToken=eyJ", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        var (response, body) = await SendAsync(request);
        var keys = System.Xml.Linq.XDocument.Parse(body).Descendants().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.Ordinal);
        var (identity, identityBody) = await SendAsync(TestSigner.FormRequest(Endpoint, "Action=GetCallerIdentity&Version=2011-06-15",
            accessKey: keys["AccessKeyId"], secretKey: keys["SecretAccessKey"]));

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        keys["Arn"].Should().Be("arn:aws:sts::123456789012:assumed-role/pod/web");
        identity.StatusCode.Should().Be(HttpStatusCode.Forbidden, "temporary keys need their session token");
        identityBody.Should().Contain("InvalidClientTokenId");
    }
}
