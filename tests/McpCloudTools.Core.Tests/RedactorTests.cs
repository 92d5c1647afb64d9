using McpCloudTools.Core.Safety;

namespace McpCloudTools.Core.Tests;

public sealed class RedactorTests
{
    [Fact]
    public void MarkedValues_AreRedacted_UnlessAllowed()
    {
        var text = $"DB_PASSWORD={Redactor.Sensitive("hunter2")} LOG_LEVEL=info";
        Redactor.Apply(text, allowSensitive: false).Should().Be("DB_PASSWORD=[redacted] LOG_LEVEL=info");
        Redactor.Apply(text, allowSensitive: true).Should().Be("DB_PASSWORD=hunter2 LOG_LEVEL=info");
    }

    [Theory]
    [InlineData("code: https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/x?versionId=1&X-Amz-Security-Token=IQo&X-Amz-Signature=ab12 end", "code: [redacted presigned URL] end")]
    [InlineData("token k8s-aws-v1.aHR0cHM6Ly9zdHM", "token [redacted token]")]
    [InlineData("Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.abc", "Authorization: Bearer [redacted]")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [redacted]")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "[redacted private key]")]
    public void WellKnownSecretShapes_AreScrubbed_EvenWhenUnmarked(string input, string expected)
    {
        Redactor.Apply(input, allowSensitive: false).Should().Be(expected);
        Redactor.Apply(input, allowSensitive: true).Should().Be(input);
    }

    [Fact]
    public void OrdinaryText_IsLeftAlone()
    {
        const string text = "NAME READY STATUS\nweb-1 1/1 Running\nendpoint: https://ABC.gr7.us-east-1.eks.amazonaws.com";
        Redactor.Apply(text, allowSensitive: false).Should().Be(text);
    }
}
