using System.Text;
using Amazon;
using Amazon.Runtime;
using FluentAssertions;
using McpCloudTools.Core.Validation;
using McpCloudTools.Sandbox;

namespace McpCloudTools.Aws.Tests;

/// <summary>The AWSSDK.Core signer adapter: fixed-time signatures cross-checked with botocore, and the sandbox verifier.</summary>
public sealed class SigV4SignerTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly BasicAWSCredentials SuiteKeys = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTime SuiteTime = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    private static HttpRequestMessage EksPost()
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            "https://eks.us-east-1.amazonaws.com/clusters/arn%3Aaws%3Aeks%3Aus-east-1%3A1%3Acluster%2Fprod/node-groups?maxResults=5&nextToken=tok2%2F%2B%3D")
        {
            Content = new ByteArrayContent("""{"name":"prod"}"""u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "x.y");
        return request;
    }

    [Fact]
    public async Task FixedTimeSignature_MatchesBotocoreForAnEksPostWithEscapedPathAndQuery()
    {
        using var request = EksPost();

        await new SdkSigV4Signer { SignedAt = SuiteTime }.SignAsync(request, "eks", RegionEndpoint.USEast1, SuiteKeys, CancellationToken.None);

        // Computed independently with botocore 1.43 SigV4Auth for the same request, headers and signing time.
        request.Headers.GetValues("Authorization").Single().Should().Be(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/eks/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, "
            + "Signature=ae97dcf458b224daecc03c5ef4e4c8eed9aa85ec82493b56db6c65bb683e5fcb");
        request.Headers.GetValues("X-Amz-Date").Single().Should().Be("20150830T123600Z");
    }

    [Fact]
    public async Task SigningAgain_ReplacesTheHeadersOfTheEarlierAttempt()
    {
        using var request = EksPost();
        var signer = new SdkSigV4Signer { SignedAt = SuiteTime };

        await signer.SignAsync(request, "eks", RegionEndpoint.USEast1, SuiteKeys, CancellationToken.None);
        await signer.SignAsync(request, "eks", RegionEndpoint.USEast1, SuiteKeys, CancellationToken.None);

        request.Headers.GetValues("Authorization").Should().ContainSingle();
        request.Headers.GetValues("X-Amz-Date").Should().ContainSingle();
    }

    [Fact]
    public async Task CoreSignedRequest_PassesTheSandboxsIndependentVerifier()
    {
        using var request = EksPost();
        await new SdkSigV4Signer().SignAsync(request, "eks", RegionEndpoint.USEast1, SuiteKeys, CancellationToken.None);
        var body = await request.Content!.ReadAsByteArrayAsync();
        var headers = request.Headers.Concat(request.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value));
        headers["host"] = request.RequestUri!.Authority;

        var result = SigV4Verifier.Verify("POST", request.RequestUri.PathAndQuery,
            name => headers.TryGetValue(name, out var v) ? [v] : [], body,
            new SandboxCredentialStore(new SandboxOptions { AccessKey = "AKIDEXAMPLE", SecretKey = SuiteKeys.GetCredentials().SecretKey }),
            DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

        result.Outcome.Should().Be(SigV4Outcome.Valid, result.Detail);
    }

    [Fact]
    public async Task PresignedGetCallerIdentity_IsAcceptedByTheSandboxAsAnEksTokenWouldBe()
    {
        var context = fixture.Context();
        var url = new Uri(fixture.Host.Endpoint, "/?Action=GetCallerIdentity&Version=2011-06-15");

        var presigned = await context.Runtime.Presigner.PresignGetAsync(url,
            new Dictionary<string, string> { ["x-k8s-aws-id"] = "prod" }, "sts", context.Region, context.Credentials,
            TimeSpan.FromSeconds(60), CancellationToken.None);

        presigned.Query.Should().Contain("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id").And.Contain("X-Amz-Expires=60");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, presigned);
        request.Headers.Add("x-k8s-aws-id", "prod");
        using var response = await http.SendAsync(request);
        var xml = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(xml);
        xml.Should().Contain("<Arn>arn:aws:iam::123456789012:user/sandbox</Arn>");
    }

    [Fact]
    public async Task WrongSecret_IsRejectedByTheSandboxAndMappedToAnAuthError()
    {
        var act = () => new Logs.CloudWatchLogsClient(fixture.Context(secretKey: "wrong"))
            .DescribeLogGroupsAsync(new Logs.DescribeLogGroupsRequest(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.Kind.Should().Be(AwsErrorKind.Auth);
        error.ErrorCode.Should().Be("InvalidSignatureException");
        error.Message.Should().Contain("secret key does not match");
    }

    [Fact]
    public void RestJsonRequest_EscapesLabelsAndQueryWithRfc3986()
    {
        using var message = RestJsonRequest.Get(new AwsOperation("GetFunction"), "/2015-03-31/functions/{0}",
                PathSegment.Of("arn:aws:lambda:us-east-1:123456789012:function:orders", new TextRule("a function", 256), "FunctionName"))
            .Query("Qualifier", "$LATEST").Query("Marker", "abc/def+=").Query("MaxItems", (long?)null)
            .Build(new Uri("http://127.0.0.1:4566"));

        message.RequestUri!.AbsoluteUri.Should().Be("http://127.0.0.1:4566/2015-03-31/functions/"
            + "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders?Qualifier=%24LATEST&Marker=abc%2Fdef%2B%3D");
    }

    [Fact]
    public async Task RestJsonRequest_JsonBodyIsSourceGenerated()
    {
        using var message = RestJsonRequest.Post(new AwsOperation("SubmitJob", Idempotent: false), "/v1/submitjob")
            .Body(new ProbeEcho { Name = "nightly" }, ProbeJsonContext.Default.ProbeEcho)
            .Build(new Uri("https://batch.us-east-1.amazonaws.com/"));

        (await message.Content!.ReadAsStringAsync()).Should().Be("""{"name":"nightly"}""");
        message.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        Encoding.UTF8.GetString(await message.Content.ReadAsByteArrayAsync()).Should().NotContain("null");
    }
}
