using System.Globalization;
using System.Text;

namespace McpCloudTools.Sandbox.Tests;

/// <summary>
/// Signs raw test requests for service-behaviour tests. Signature correctness itself is covered by the test-suite
/// vectors and by requests from independent signers (AWSSDK.Core, botocore).
/// </summary>
internal static class TestSigner
{
    public static HttpRequestMessage JsonRequest(Uri endpoint, string target, string json, string service = "logs",
        string accessKey = "test", string secretKey = "test")
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        Sign(request, body, service, accessKey, secretKey, ["content-type", "host", "x-amz-date", "x-amz-target"],
            new Dictionary<string, string> { ["content-type"] = "application/x-amz-json-1.1", ["x-amz-target"] = target });
        return request;
    }

    public static HttpRequestMessage FormRequest(Uri endpoint, string form, string service = "sts",
        string accessKey = "test", string secretKey = "test")
    {
        var body = Encoding.UTF8.GetBytes(form);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        Sign(request, body, service, accessKey, secretKey, ["content-type", "host", "x-amz-date"],
            new Dictionary<string, string> { ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8" });
        return request;
    }

    /// <summary>A signed restJson1 request with the path and query exactly as given (already escaped by the caller).</summary>
    public static HttpRequestMessage RestRequest(HttpMethod method, Uri endpoint, string rawPathAndQuery, string service, string? json = null)
    {
        var body = Encoding.UTF8.GetBytes(json ?? "");
        var request = new HttpRequestMessage(method, new Uri(endpoint, rawPathAndQuery));
        var signed = new List<string> { "host", "x-amz-date" };
        var values = new Dictionary<string, string>();
        if (json is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            signed.Insert(0, "content-type");
            values["content-type"] = "application/json";
        }
        Sign(request, body, service, "test", "test", [.. signed], values);
        return request;
    }

    private static void Sign(HttpRequestMessage request, byte[] body, string service, string accessKey, string secretKey,
        string[] signed, Dictionary<string, string> values)
    {
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        values["host"] = request.RequestUri!.Authority;
        values["x-amz-date"] = amzDate;
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var canonical = SigV4Canonicalizer.CanonicalRequest(request.Method.Method, request.RequestUri.PathAndQuery,
            name => [values[name]], signed, SigV4Canonicalizer.PayloadHash(body));
        var scope = $"{date}/us-east-1/{service}/aws4_request";
        var signature = SigV4Canonicalizer.Signature(secretKey, date, "us-east-1", service,
            SigV4Canonicalizer.StringToSign(amzDate, scope, canonical));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
    }
}
