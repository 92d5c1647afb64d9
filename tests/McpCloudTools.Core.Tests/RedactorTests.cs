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
    // Credentials in URLs of any scheme: the password goes, scheme, user, host and path stay.
    [InlineData("psql postgres://etl:Tr0ub4dor&3@db.internal:5432/warehouse -c 'select 1'", "psql postgres://etl:[redacted]@db.internal:5432/warehouse -c 'select 1'")]
    [InlineData("connecting to mysql://root:p@ssw0rd@10.0.3.7/app", "connecting to mysql://root:[redacted]@10.0.3.7/app")]
    [InlineData("git clone https://deploy:glpat-xxxxxxxxxxxxxxxxxxxx@gitlab.example.com/team/repo.git", "git clone https://deploy:[redacted]@gitlab.example.com/team/repo.git")]
    [InlineData("{\"broker\":\"amqps://svc:Zm9vYmFy@mq.internal:5671/%2f\"}", "{\"broker\":\"amqps://svc:[redacted]@mq.internal:5671/%2f\"}")]
    [InlineData("REDIS_URL=redis://:s3cret@cache:6379/0", "REDIS_URL=redis://:[redacted]@cache:6379/0")]
    [InlineData("mongodb+srv://app:c0mpl3x@cluster0.abcde.mongodb.net/db?retryWrites=true", "mongodb+srv://app:[redacted]@cluster0.abcde.mongodb.net/db?retryWrites=true")]
    [InlineData("git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/org/repo", "git clone https://[redacted]@github.com/org/repo")]
    // Authorization headers, tokens of well-known providers, JWTs.
    [InlineData("Authorization: Basic dXNlcjpodW50ZXIy", "Authorization: Basic [redacted]")]
    [InlineData("{\"auth\":\"Basic dXNlcjpodW50ZXIy\"}", "{\"auth\":\"Basic [redacted]\"}")]
    [InlineData("curl -H 'Authorization: token 0123456789abcdef0123' https://api", "curl -H 'Authorization: token [redacted]' https://api")]
    [InlineData("GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a", "GITHUB_TOKEN=[redacted token]")]
    [InlineData("using github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz for the push", "using [redacted token] for the push")]
    [InlineData("slack: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx posted", "slack: [redacted token] posted")]
    [InlineData("webhook https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX failed", "webhook https://hooks.slack.com/services/[redacted] failed")]
    [InlineData("charge with sk_live_4eC39HqLyjWDarjtT1zdp7dc", "charge with [redacted token]")]
    [InlineData("id_token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok", "id_token [redacted JWT] ok")]
    // Assignments in env dumps, config and JSON; command-line flags; connection strings.
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY=[redacted]")]
    [InlineData("export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ", "export AWS_SESSION_TOKEN=[redacted]")]
    [InlineData("STRIPE_API_KEY=abc123def456", "STRIPE_API_KEY=[redacted]")]
    [InlineData("{\"clientSecret\": \"Zx8-secret-value\", \"region\": \"eu-west-1\"}", "{\"clientSecret\": \"[redacted]\", \"region\": \"eu-west-1\"}")]
    [InlineData("X-Api-Key: 7f3a9c2e1b", "X-Api-Key: [redacted]")]
    [InlineData("mysqldump --user admin --password hunter2 --all-databases", "mysqldump --user admin --password [redacted] --all-databases")]
    [InlineData("run.sh --db-password=hunter2 --verbose", "run.sh --db-password=[redacted] --verbose")]
    [InlineData("Server=sql01;Database=app;User Id=sa;Password=P@ss w0rd!;Encrypt=true", "Server=sql01;Database=app;User Id=sa;Password=[redacted];Encrypt=true")]
    [InlineData("Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=s3cr3t;", "Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=[redacted];")]
    [InlineData("jdbc:postgresql://db:5432/app?user=etl&password=hunter2&ssl=true", "jdbc:postgresql://db:5432/app?user=etl&password=[redacted]&ssl=true")]
    public void WellKnownSecretShapes_AreScrubbed_EvenWhenUnmarked(string input, string expected)
    {
        Redactor.Apply(input, allowSensitive: false).Should().Be(expected);
        Redactor.Apply(input, allowSensitive: true).Should().Be(input);
    }

    [Theory]
    [InlineData("NAME READY STATUS\nweb-1 1/1 Running\nendpoint: https://ABC.gr7.us-east-1.eks.amazonaws.com")]
    [InlineData("2026-11-30T10:00:00Z INFO GET https://api.internal:8443/v1/orders?page=2 200 in 35 ms")]
    [InlineData("ERROR connection to db.internal:5432 refused; retrying in 5s (attempt 3 of 10)")]
    [InlineData("sk-learn-trainer-7f9c8d6b5-x2x4z 0/1 CrashLoopBackOff 12")]
    [InlineData("API_KEY=<secret api-credentials/api-key> DB_HOST=db.internal")]
    [InlineData("nextToken: AAEAAQAAAAEAAAAA, max_tokens=4096, clientRequestToken=3f2a")]
    [InlineData("Error: secret \"api-db\" not found")]
    [InlineData("volumes:\n  - secret:\n      secretName: tls-cert")]
    [InlineData("user alice@example.com logged in from https://app.example.com/login")]
    [InlineData("image 123456789012.dkr.ecr.us-east-1.amazonaws.com/gateway:2.4.1-rc0 pulled")]
    [InlineData("PWD=/home/app\nPATH=/usr/local/bin:/usr/bin")]
    [InlineData("Task timed out after 30.03 seconds; Duration: 30030.11 ms Billed Duration: 30000 ms Memory Size: 512 MB")]
    [InlineData("password reset email sent to the user; token count 12")]
    [InlineData("Basic Authentication is off; Basic plan")]
    public void OrdinaryText_IsLeftAlone(string text)
    {
        Redactor.Apply(text, allowSensitive: false).Should().Be(text);
    }
}
