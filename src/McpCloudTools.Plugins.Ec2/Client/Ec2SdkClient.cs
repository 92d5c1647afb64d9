using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using McpCloudTools.Aws;

namespace McpCloudTools.Plugins.Ec2.Client;

/// <summary>
/// AWSSDK.EC2's client under the shared retry policy (<see cref="AwsSdkRetry"/>). The config carries the runtime
/// because the SDK builds its pipeline inside the base constructor, before a field of this class could be set.
/// </summary>
internal sealed class Ec2SdkClient(AWSCredentials credentials, Ec2SdkClient.SharedConfig config) : AmazonEC2Client(credentials, config)
{
    /// <inheritdoc />
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        var own = (SharedConfig)Config;
        AwsSdkRetry.Apply(pipeline, own, own.Runtime);
    }

    /// <summary>The EC2 config plus the shared runtime (policy and clock).</summary>
    internal sealed class SharedConfig(AwsRuntime runtime) : AmazonEC2Config
    {
        public AwsRuntime Runtime { get; } = runtime;
    }
}
