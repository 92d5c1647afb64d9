namespace McpCloudTools.Sandbox;

/// <summary>The error each protocol's services send when authentication fails, as AWS sends them.</summary>
internal static class SandboxAuthErrors
{
    public static SandboxApiException For(SandboxProtocol protocol, SigV4Result result)
    {
        var detail = result.Detail;
        var expiredToken = detail.Contains("expired", StringComparison.OrdinalIgnoreCase) && result.Outcome == SigV4Outcome.InvalidToken;
        return protocol switch
        {
            // EC2 answers every authentication problem with AuthFailure (401), except skew.
            SandboxProtocol.Ec2Query => result.Outcome == SigV4Outcome.Expired
                ? new(400, "RequestExpired", detail)
                : new(401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
            SandboxProtocol.Query => result.Outcome switch
            {
                SigV4Outcome.Missing => new(403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
                SigV4Outcome.Incomplete => new(403, "IncompleteSignature", detail),
                SigV4Outcome.UnknownKey => new(403, "InvalidClientTokenId", detail),
                SigV4Outcome.InvalidToken => new(403, expiredToken ? "ExpiredToken" : "InvalidClientTokenId", detail),
                _ => new(403, "SignatureDoesNotMatch", detail),
            },
            // awsJson1.1 services answer 400, restJson1 services 403, with the same codes.
            _ => Json(protocol == SandboxProtocol.Json11 ? 400 : 403, result.Outcome switch
            {
                SigV4Outcome.Missing => "MissingAuthenticationTokenException",
                SigV4Outcome.Incomplete => "IncompleteSignatureException",
                SigV4Outcome.UnknownKey => "UnrecognizedClientException",
                SigV4Outcome.InvalidToken => expiredToken ? "ExpiredTokenException" : "UnrecognizedClientException",
                _ => "InvalidSignatureException",
            }, result.Outcome == SigV4Outcome.Missing ? "Missing Authentication Token" : detail),
        };
    }

    /// <summary>
    /// A request signed for a region the sandbox does not serve. AWS's regional endpoints answer a credential scope
    /// for another region with "Credential should be scoped to a valid region" (EC2 <c>AuthFailure</c>, Query
    /// <c>SignatureDoesNotMatch</c>, JSON <c>InvalidSignatureException</c>); the sandbox, one endpoint for its regions,
    /// does the same and names the regions it serves.
    /// </summary>
    public static SandboxApiException UnservedRegion(SandboxProtocol protocol, string region, IReadOnlyList<string> served)
    {
        var shown = SandboxScenario.Clip(region, 30);
        var message = $"Credential should be scoped to a valid region, not '{shown}'. This endpoint (the sandbox) serves "
            + $"{string.Join(" and ", served)}; set the region to one of them.";
        return protocol switch
        {
            SandboxProtocol.Ec2Query => new(401, "AuthFailure", message),
            SandboxProtocol.Query => new(403, "SignatureDoesNotMatch", message),
            _ => Json(protocol == SandboxProtocol.Json11 ? 400 : 403, "InvalidSignatureException", message),
        };
    }

    private static SandboxApiException Json(int status, string code, string message) => new(status, code, message);
}
