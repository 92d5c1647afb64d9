namespace McpCloudTools.Aws;

/// <summary>
/// Names one AWS service the three ways AWS needs: the SDK service id (for <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c>),
/// the endpoint prefix (host name) and the SigV4 signing name.
/// </summary>
/// <param name="ServiceId">SDK service id as in the service model, e.g. <c>CloudWatch Logs</c>.</param>
/// <param name="EndpointPrefix">Host prefix, e.g. <c>logs</c> in <c>logs.us-east-1.amazonaws.com</c>.</param>
/// <param name="SigningName">SigV4 credential-scope service name.</param>
/// <param name="DisplayName">Short name used in messages for the agent, e.g. <c>lambda</c>.</param>
public sealed record AwsService(string ServiceId, string EndpointPrefix, string SigningName, string DisplayName)
{
    /// <summary>AWS Security Token Service.</summary>
    public static AwsService Sts { get; } = new("STS", "sts", "sts", "sts");

    /// <summary>Amazon CloudWatch Logs.</summary>
    public static AwsService Logs { get; } = new("CloudWatch Logs", "logs", "logs", "logs");

    /// <summary>Amazon EC2.</summary>
    public static AwsService Ec2 { get; } = new("EC2", "ec2", "ec2", "ec2");

    /// <summary>Amazon EKS.</summary>
    public static AwsService Eks { get; } = new("EKS", "eks", "eks", "eks");

    /// <summary>AWS Lambda.</summary>
    public static AwsService Lambda { get; } = new("Lambda", "lambda", "lambda", "lambda");

    /// <summary>AWS Batch.</summary>
    public static AwsService Batch { get; } = new("Batch", "batch", "batch", "batch");

    /// <summary>The service-specific endpoint variable, as AWS documents it: upper case, spaces become underscores.</summary>
    public string EndpointEnvironmentVariable =>
        "AWS_ENDPOINT_URL_" + ServiceId.ToUpperInvariant().Replace(' ', '_');
}
