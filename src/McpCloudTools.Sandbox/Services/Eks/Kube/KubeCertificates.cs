using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace McpCloudTools.Sandbox.Services.Eks.Kube;

/// <summary>
/// A cluster's own CA and the API server certificate it signs (SAN 127.0.0.1 and localhost), one CA per cluster as
/// EKS makes them. The CA is derived from a seed naming the cluster (sandbox seed, account, region, name), key and
/// certificate alike, so it is byte for byte the same on every start and a kubeconfig that holds it keeps working;
/// the server certificate is new on each start. ECDSA P-256 throughout: a few milliseconds per cluster.
/// </summary>
public sealed class KubeCertificates : IDisposable
{
    // Fixed validity, so the CA's bytes do not depend on the day it was made.
    private static readonly DateTimeOffset CaNotBefore = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CaNotAfter = new(2045, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private KubeCertificates(X509Certificate2 ca, X509Certificate2 server)
    {
        Ca = ca;
        Server = server;
        CaPem = ca.ExportCertificatePem();
    }

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA in PEM.</summary>
    public string CaPem { get; }

    /// <summary>The CA as DescribeCluster's <c>certificateAuthority.data</c>: base64 of the PEM.</summary>
    public string CaData => Convert.ToBase64String(Encoding.ASCII.GetBytes(CaPem));

    /// <summary>Makes the CA of <paramref name="clusterName"/> from <paramref name="seed"/> and a server certificate signed by it.</summary>
    public static KubeCertificates Create(string clusterName, string seed)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        ArgumentNullException.ThrowIfNull(seed);
        var d = DeterministicEcdsa.PrivateScalar("ca-key/" + seed);
        using var caKey = DeterministicEcdsa.Import(d);
        var caSigner = new DeterministicEcdsa(caKey, d);
        var caRequest = new CertificateRequest($"CN=kubernetes-{clusterName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var caSerial = SHA256.HashData(Encoding.UTF8.GetBytes("ca-serial/" + seed))[..16];
        caSerial[0] &= 0x7F;
        var caName = new X500DistinguishedName($"CN=kubernetes-{clusterName}");
        var ca = caRequest.Create(caName, caSigner, CaNotBefore, CaNotAfter, caSerial);

        var now = DateTimeOffset.UtcNow;
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(caName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddYears(1), serial);
        // Kestrel wants a certificate whose key it can use for the handshake: export and load it back as PKCS#12.
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new KubeCertificates(ca, server);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
    }
}

/// <summary>
/// ECDSA P-256 with a key and signatures that depend only on their inputs: the private scalar is hashed from a
/// seed, and the nonce of each signature from the key and the message (in the spirit of RFC 6979), so signing the
/// same certificate twice gives the same bytes. The curve arithmetic is the platform's: k·G is the public key of k.
/// </summary>
internal sealed class DeterministicEcdsa(ECDsa key, BigInteger d) : X509SignatureGenerator
{
    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
        System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private readonly X509SignatureGenerator _inner = CreateForECDsa(key);

    /// <summary>A private scalar in [1, n-1] from a seed.</summary>
    public static BigInteger PrivateScalar(string seed) =>
        BigInteger.Remainder(new BigInteger(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), isUnsigned: true, isBigEndian: true), Order - 1) + 1;

    /// <summary>The P-256 key of scalar <paramref name="d"/> (the platform computes its public point).</summary>
    public static ECDsa Import(BigInteger d) =>
        ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = Bytes(d) });

    /// <inheritdoc />
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => _inner.GetSignatureAlgorithmIdentifier(hashAlgorithm);

    /// <inheritdoc />
    protected override PublicKey BuildPublicKey() => _inner.PublicKey;

    /// <inheritdoc />
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        if (hashAlgorithm != HashAlgorithmName.SHA256) throw new NotSupportedException("The sandbox CA signs with SHA-256 only.");
        var hash = SHA256.HashData(data);
        var z = new BigInteger(hash, isUnsigned: true, isBigEndian: true);
        for (byte counter = 0; ; counter++)
        {
            byte[] message = [.. hash, counter];
            var k = BigInteger.Remainder(new BigInteger(HMACSHA256.HashData(Bytes(d), message), isUnsigned: true, isBigEndian: true), Order);
            if (k.IsZero) continue;
            using var nonce = Import(k);
            var point = nonce.ExportParameters(false).Q;
            var r = BigInteger.Remainder(new BigInteger(point.X, isUnsigned: true, isBigEndian: true), Order);
            if (r.IsZero) continue;
            var s = BigInteger.Remainder(BigInteger.ModPow(k, Order - 2, Order) * (z + r * d), Order);
            if (s.IsZero) continue;
            var der = new AsnWriter(AsnEncodingRules.DER);
            using (der.PushSequence())
            {
                der.WriteInteger(r);
                der.WriteInteger(s);
            }
            return der.Encode();
        }
    }

    private static byte[] Bytes(BigInteger value)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[32];
        raw.CopyTo(padded, 32 - raw.Length);
        return padded;
    }
}
