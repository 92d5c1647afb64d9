using System.Net;
using FluentAssertions;
using McpCloudTools.Aws.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpCloudTools.Aws.Tests;

/// <summary>An AccessDenied message names the caller: the client asks STS who it is before wording the error.</summary>
public sealed class AccessDeniedIdentityTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        // A stand-in for an account whose policy denies CloudWatch Logs: STS answers, every other call is refused.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (body.Contains("Action=GetCallerIdentity", StringComparison.Ordinal))
            {
                http.Response.ContentType = "text/xml";
                await http.Response.WriteAsync("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                    + "<Arn>arn:aws:sts::111122223333:assumed-role/readonly/bob</Arn><UserId>AROAX:bob</UserId><Account>111122223333</Account>"
                    + "</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
                return;
            }
            http.Response.StatusCode = 400;
            http.Response.ContentType = "application/x-amz-json-1.1";
            await http.Response.WriteAsync("""{"__type":"AccessDeniedException","message":"User is not authorized to perform: logs:DescribeLogStreams"}""");
        });
        await _app.StartAsync();
        _endpoint = new Uri(_app.Urls.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AccessDenied_NamesTheCallerArnAccountActionAndResource()
    {
        var context = new AwsContext(new AwsSettings(Region: "eu-west-1", EndpointUrl: _endpoint.ToString()),
            new AwsEnvironment(TestEnvironment.Variables()),
            new AwsRuntime(SandboxFixture.FastRetries));

        var act = () => new CloudWatchLogsClient(context).DescribeLogStreamsAsync(
            new DescribeLogStreamsRequest { LogGroupName = "/aws/lambda/orders" }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.AccessDenied);
        error.Message.Should().StartWith("Access denied: arn:aws:sts::111122223333:assumed-role/readonly/bob is not allowed to call "
            + "logs:DescribeLogStreams on log group '/aws/lambda/orders' in account 111122223333, region eu-west-1");
    }
}
