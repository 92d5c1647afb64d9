using System.Net;
using System.Text;
using Amazon.Runtime;
using FluentAssertions;

namespace McpCloudTools.Aws.Tests;

/// <summary>One mapper for every protocol's error shape, and messages an agent can act on.</summary>
public sealed class ErrorMapperTests
{
    private static readonly AwsCallInfo Call = new(AwsService.Eks, "DescribeCluster", "eu-west-1",
        "arn:aws:sts::111122223333:assumed-role/ops/alice", "cluster 'prod'", "Call eks_cluster_list to see the clusters.",
        "dev", "111122223333");

    private static AwsErrorDetails Parse(HttpStatusCode status, string body, params (string Name, string Value)[] headers) =>
        AwsErrorDetails.Parse(status, name => headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value,
            Encoding.UTF8.GetBytes(body));

    [Fact]
    public void RestJson1_HeaderCodeWinsAndLosesItsCoralSuffix()
    {
        var error = Parse(HttpStatusCode.NotFound, """{"message":"No cluster found for name: prod.","clusterName":"prod"}""",
            ("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.eks/"),
            ("x-amzn-RequestId", "req-1"));

        error.Should().Be(new AwsErrorDetails(HttpStatusCode.NotFound, "ResourceNotFoundException", "No cluster found for name: prod.", "req-1"));
    }

    [Fact]
    public void RestJson1_BodyCodeAndCapitalisedMessageAreRead()
    {
        var error = Parse(HttpStatusCode.Conflict, """{"Type":"User","Message":"The operation cannot be performed at this time.","code":"ResourceConflictException"}""");

        error.Code.Should().Be("ResourceConflictException");
        error.Message.Should().Be("The operation cannot be performed at this time.");
    }

    [Fact]
    public void Json11_TypeWithNamespaceIsCleanedUp()
    {
        var error = Parse(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.logs#ResourceNotFoundException","message":"The specified log group does not exist."}""");

        error.Code.Should().Be("ResourceNotFoundException");
    }

    [Fact]
    public void QueryXml_ErrorResponseIsRead()
    {
        var error = Parse(HttpStatusCode.Forbidden, """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized</Message></Error>
              <RequestId>abc-123</RequestId>
            </ErrorResponse>
            """);

        error.Should().Be(new AwsErrorDetails(HttpStatusCode.Forbidden, "AccessDenied", "User is not authorized", "abc-123"));
    }

    [Fact]
    public void Ec2Xml_ResponseErrorsIsRead()
    {
        var error = Parse(HttpStatusCode.BadRequest,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>"
            + "<Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>r-9</RequestID></Response>");

        error.Should().Be(new AwsErrorDetails(HttpStatusCode.BadRequest, "InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist", "r-9"));
        AwsErrorClassifier.Classify(error.StatusCode, error.Code).Should().Be(AwsErrorKind.NotFound);
    }

    [Fact]
    public void BatchBareThrottle_IsThrottledWithoutACode()
    {
        var error = Parse(HttpStatusCode.TooManyRequests, "Too Many Requests");

        error.Code.Should().BeNull();
        AwsErrorClassifier.Classify(error.StatusCode, error.Code).Should().Be(AwsErrorKind.Throttled);
    }

    [Fact]
    public void SdkException_MapsLikeAnHttpError()
    {
        var sdk = new AmazonServiceException("You are not authorized to perform this operation.", ErrorType.Sender,
            "UnauthorizedOperation", "req-7", HttpStatusCode.Forbidden);

        var error = AwsErrorMapper.FromSdkException(sdk, Call with { Service = AwsService.Ec2, Operation = "StopInstances", Resource = "instance i-1" });

        error.Kind.Should().Be(AwsErrorKind.AccessDenied);
        error.RequestId.Should().Be("req-7");
        error.Message.Should().Contain("ec2:StopInstances on instance i-1");
    }

    [Fact]
    public void AccessDenied_NamesTheActionTheResourceAndTheIdentity()
    {
        var error = AwsErrorMapper.FromResponse(new AwsErrorDetails(HttpStatusCode.Forbidden, "AccessDeniedException", "User is not authorized", null), Call);

        error.Message.Should().StartWith("Access denied: arn:aws:sts::111122223333:assumed-role/ops/alice is not allowed to call "
            + "eks:DescribeCluster on cluster 'prod' in account 111122223333, region eu-west-1");
    }

    [Fact]
    public void NotFound_SaysWhatWasLookedForWhereAndWhatToTry()
    {
        var error = AwsErrorMapper.FromResponse(new AwsErrorDetails(HttpStatusCode.NotFound, "ResourceNotFoundException", "No cluster found", null), Call);

        error.Kind.Should().Be(AwsErrorKind.NotFound);
        error.Message.Should().Contain("cluster 'prod' does not exist in account 111122223333, region eu-west-1")
            .And.EndWith("Call eks_cluster_list to see the clusters.");
    }

    [Fact]
    public void ExpiredToken_TellsToLogInAgainWithTheProfile()
    {
        var error = AwsErrorMapper.FromResponse(new AwsErrorDetails(HttpStatusCode.Forbidden, "ExpiredTokenException", "The security token included in the request is expired", null), Call);

        error.Kind.Should().Be(AwsErrorKind.Auth);
        error.Message.Should().Contain("aws sso login --profile dev");
    }

    [Fact]
    public void Throttled_ReportsAttemptsAndTime()
    {
        var error = AwsErrorMapper.FromResponse(new AwsErrorDetails(HttpStatusCode.TooManyRequests, "TooManyRequestsException", null, null),
            Call with { Service = AwsService.Lambda, Operation = "ListFunctions", Retries = new AwsRetrySummary(4, TimeSpan.FromSeconds(3.2)) });

        error.Message.Should().Be("Throttled by lambda ListFunctions 4 times over 3.2 s (TooManyRequestsException); retry later or lower the request rate.");
    }

    [Theory]
    [InlineData(400, "ThrottlingException", AwsErrorKind.Throttled)]
    [InlineData(503, "RequestLimitExceeded", AwsErrorKind.Throttled)]
    [InlineData(403, "UnrecognizedClientException", AwsErrorKind.Auth)]
    [InlineData(403, "SignatureDoesNotMatch", AwsErrorKind.Auth)]
    [InlineData(400, "InvalidParameterValueException", AwsErrorKind.Validation)]
    [InlineData(409, "ResourceInUseException", AwsErrorKind.Conflict)]
    [InlineData(412, "PreconditionFailedException", AwsErrorKind.Conflict)]
    [InlineData(500, "ServerException", AwsErrorKind.Unavailable)]
    [InlineData(400, "ClientException", AwsErrorKind.Validation)]
    [InlineData(418, null, AwsErrorKind.Other)]
    public void Codes_AreClassifiedIntoKinds(int status, string? code, AwsErrorKind kind) =>
        AwsErrorClassifier.Classify((HttpStatusCode)status, code).Should().Be(kind);
}
