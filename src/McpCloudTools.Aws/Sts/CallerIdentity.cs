namespace McpCloudTools.Aws;

/// <summary>Who the credentials belong to, as STS <c>GetCallerIdentity</c> reports it.</summary>
/// <param name="Account">12-digit account id.</param>
/// <param name="Arn">ARN of the caller (user, assumed role session…).</param>
/// <param name="UserId">Unique id of the caller.</param>
public sealed record CallerIdentity(string Account, string Arn, string UserId);
