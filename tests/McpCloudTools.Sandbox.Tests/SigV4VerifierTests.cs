using System.Text;
using FluentAssertions;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>The sandbox's independent verifier against the public SigV4 test suite (aws-c-auth, v4 cases).</summary>
public sealed class SigV4VerifierTests
{
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private static readonly SandboxCredentialStore SuiteKeys = new(new SandboxOptions
    {
        AccessKey = "AKIDEXAMPLE", SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    });

    private static SigV4Result Verify(string method, string target, Dictionary<string, string> headers, string body = "",
        SandboxCredentialStore? store = null) =>
        SigV4Verifier.Verify(method, target, name => headers.TryGetValue(name, out var v) ? [v] : [],
            Encoding.UTF8.GetBytes(body), store ?? SuiteKeys, SuiteTime, TimeSpan.FromMinutes(15));

    private static Dictionary<string, string> HeaderAuth(string signedHeaders, string signature) => new()
    {
        ["host"] = "example.amazonaws.com",
        ["x-amz-date"] = "20150830T123600Z",
        ["authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + $"SignedHeaders={signedHeaders}, Signature={signature}",
    };

    [Theory]
    [InlineData("GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    [InlineData("GET", "/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    [InlineData("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")] // get-unreserved
    public void HeaderSignedSuiteRequests_AreValid(string method, string target, string signature)
    {
        var result = Verify(method, target, HeaderAuth("host;x-amz-date", signature));

        result.Outcome.Should().Be(SigV4Outcome.Valid, result.Detail);
        result.Scope!.Service.Should().Be("service");
    }

    [Fact]
    public void SessionTokenSuiteRequest_IsValidForTheIssuedSession()
    {
        var headers = HeaderAuth("host;x-amz-date;x-amz-security-token",
            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
        headers["x-amz-security-token"] = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        // The suite's keys acting as the long-term user: the token is signed but not required.
        var result = Verify("GET", "/", headers);

        result.Outcome.Should().Be(SigV4Outcome.Valid, result.Detail);
    }

    [Fact]
    public void PresignedSuiteRequest_IsValidWithinItsExpiry()
    {
        const string target = "/?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z"
            + "&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
            + "&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5";

        var result = Verify("GET", target, new Dictionary<string, string> { ["host"] = "example.amazonaws.com" });

        result.Outcome.Should().Be(SigV4Outcome.Valid, result.Detail);
        result.Scope!.Presigned.Should().BeTrue();
    }

    [Fact]
    public void TamperedRequest_IsAMismatchThatShowsTheCanonicalRequest()
    {
        var result = Verify("GET", "/?Param1=other", HeaderAuth("host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));

        result.Outcome.Should().Be(SigV4Outcome.Mismatch);
        result.Detail.Should().Contain("GET\n/\nParam1=other\nhost:example.amazonaws.com");
    }

    [Fact]
    public void UnknownAccessKey_IsReportedAsSuch()
    {
        var result = Verify("GET", "/", HeaderAuth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
            store: new SandboxCredentialStore(new SandboxOptions()));

        result.Outcome.Should().Be(SigV4Outcome.UnknownKey);
    }

    [Fact]
    public void SigningTimeOutsideTheSkewWindow_IsExpired()
    {
        var result = SigV4Verifier.Verify("GET", "/", name => HeaderAuth("host;x-amz-date",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31").TryGetValue(name, out var v) ? [v] : [],
            [], SuiteKeys, SuiteTime.AddMinutes(20), TimeSpan.FromMinutes(15));

        result.Outcome.Should().Be(SigV4Outcome.Expired);
        result.Detail.Should().StartWith("Signature expired");
    }
}
