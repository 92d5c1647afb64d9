using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Authentication;
using k8s.Exceptions;
using McpCloudTools.Plugins.Eks.Kube;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>
/// The connection made from a kubeconfig without KubernetesClient's client class: the credentials, the client
/// certificate and the base address it takes from the configuration (the EKS-token path is proved end to end by the
/// tool tests against the sandbox).
/// </summary>
public sealed class KubeTransportTests
{
    [Fact]
    public async Task Credentials_FollowTheConfiguration_BearerOrBasic()
    {
        using var bearer = new KubeTransport(new KubernetesClientConfiguration { Host = "https://k8s.example:6443", AccessToken = "t0k" });
        using var basic = new KubeTransport(new KubernetesClientConfiguration { Host = "https://k8s.example:6443", Username = "u", Password = "p" });
        using var none = new KubeTransport(new KubernetesClientConfiguration { Host = "http://127.0.0.1:8001" });

        using var request = new HttpRequestMessage(HttpMethod.Get, "https://k8s.example:6443/api");
        await bearer.Credentials!.ProcessHttpRequestAsync(request, CancellationToken.None);
        request.Headers.Authorization!.ToString().Should().Be("Bearer t0k");
        basic.Credentials.Should().BeOfType<BasicAuthenticationCredentials>().Which.UserName.Should().Be("u");
        none.Credentials.Should().BeNull();
    }

    [Theory]
    [InlineData("https://k8s.example:6443", "https://k8s.example:6443/api/v1/pods")]
    [InlineData("https://proxy.example/k8s/clusters/c-1", "https://proxy.example/k8s/clusters/c-1/api/v1/pods")]
    public void ThePathBelowTheBase_IsKept(string host, string expected)
    {
        using var transport = new KubeTransport(new KubernetesClientConfiguration { Host = host });
        new Uri(transport.BaseUri, "api/v1/pods").AbsoluteUri.Should().Be(expected);
    }

    [Fact]
    public void ABadHost_IsAKubeconfigError()
    {
        var make = () => new KubeTransport(new KubernetesClientConfiguration { Host = "not a url" });
        make.Should().Throw<KubeConfigException>().WithMessage("*absolute http(s) URL*");
    }

    [Fact]
    public void TheClientCertificate_IsReadFromTheKubeconfigsData_WithItsKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = new CertificateRequest("CN=admin", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        var config = new KubernetesClientConfiguration
        {
            Host = "https://k8s.example:6443",
            ClientCertificateData = Base64(issued.ExportCertificatePem()),
            ClientCertificateKeyData = Base64(key.ExportPkcs8PrivateKeyPem()),
        };

        using var certificate = KubeTransport.ClientCertificate(config);
        certificate!.Thumbprint.Should().Be(issued.Thumbprint);
        certificate.HasPrivateKey.Should().BeTrue();
        KubeTransport.ClientCertificate(new KubernetesClientConfiguration { Host = "https://k8s.example:6443" }).Should().BeNull();
        var broken = () => KubeTransport.ClientCertificate(new KubernetesClientConfiguration
        {
            Host = "https://k8s.example:6443", ClientCertificateData = Base64("nope"), ClientCertificateKeyData = Base64("nope"),
        });
        broken.Should().Throw<KubeConfigException>().WithMessage("*client certificate or key cannot be read*");
    }
}
