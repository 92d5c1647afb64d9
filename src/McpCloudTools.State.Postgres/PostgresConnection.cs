using System.Text.RegularExpressions;
using McpCloudTools.Core.State;
using Npgsql;
using McpCloudTools.Core.Output;

namespace McpCloudTools.State.Postgres;

/// <summary>
/// What <c>--state</c> names when it is a PostgreSQL database: a URI (<c>postgres://user@host:5432/db?sslmode=require</c>,
/// as libpq and most hosting services write it) or an Npgsql connection string (<c>Host=db;Username=mcp;Database=mcp</c>).
/// The password comes from the connection itself, else from a secret file (<c>--state-password-file</c>, as a
/// Kubernetes Secret is mounted), else from <c>PGPASSWORD</c>. <see cref="Location"/> never shows it.
/// </summary>
public sealed partial class PostgresConnection
{
    private static readonly Dictionary<string, string> UriParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        // libpq's names (what a postgres:// URI carries) → Npgsql's keywords.
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["keepalives_idle"] = "Tcp Keepalive Time",
        ["search_path"] = "Search Path",
    };

    private PostgresConnection(NpgsqlConnectionStringBuilder builder)
    {
        Builder = builder;
        Location = $"postgresql://{(string.IsNullOrEmpty(builder.Username) ? "" : builder.Username + "@")}{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>The Npgsql settings, password included.</summary>
    internal NpgsqlConnectionStringBuilder Builder { get; }

    /// <summary>Where the state lives, for messages and logs: <c>postgresql://user@host:port/db</c>, never the password.</summary>
    public string Location { get; }

    /// <summary>Whether <paramref name="state"/> names a PostgreSQL database rather than a file.</summary>
    public static bool IsConnection(string? state) =>
        state is not null && (UriScheme().IsMatch(state) || ConnectionStringHost().IsMatch(state));

    /// <summary>
    /// Parses <paramref name="state"/>. <paramref name="passwordFile"/>: a file holding the password (trailing newline
    /// ignored), used when the connection has none; <paramref name="environment"/> reads <c>PGPASSWORD</c> last.
    /// Throws <see cref="StateFileException"/> naming what is wrong, never echoing a password.
    /// </summary>
    public static PostgresConnection Parse(string state, string? passwordFile, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(environment);
        var builder = UriScheme().IsMatch(state) ? FromUri(state) : FromConnectionString(state);
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new StateFileException("The PostgreSQL connection given with --state names no host. Give postgres://user@host:5432/db or Host=...;Database=...");
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new StateFileException($"The PostgreSQL connection given with --state (host {builder.Host}) names no database. Add it: postgres://user@{builder.Host}:{builder.Port}/mcp, or Database=mcp.");
        }

        if (string.IsNullOrEmpty(builder.Password))
        {
            if (!string.IsNullOrWhiteSpace(passwordFile))
            {
                try
                {
                    builder.Password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    throw new StateFileException($"Cannot read the database password file {passwordFile} (--state-password-file): {e.Message.TrimEnd('.')}. " +
                        "Give a readable file holding the password (a mounted Secret), or set PGPASSWORD.", e);
                }
            }
            else if (environment("PGPASSWORD") is { Length: > 0 } fromEnvironment)
            {
                builder.Password = fromEnvironment;
            }
        }

        builder.ApplicationName ??= "mcp-cloud-tools";
        return new PostgresConnection(builder);
    }

    private static NpgsqlConnectionStringBuilder FromUri(string state)
    {
        if (!Uri.TryCreate(state, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new StateFileException($"The PostgreSQL URI given with --state is not valid (not shown: it may hold a password). Write it as postgres://user@host:5432/database?sslmode=require.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!UriParameters.TryGetValue(name, out var keyword))
            {
                throw new StateFileException($"The PostgreSQL URI given with --state has the parameter '{Prefix(name)}', which is not supported. " +
                    $"Supported: {string.Join(", ", UriParameters.Keys)}; or give an Npgsql connection string (Host=...;Database=...;...) for anything else.");
            }

            try
            {
                builder[keyword] = keyword == "SSL Mode" ? SslMode(value) : value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new StateFileException($"The PostgreSQL URI given with --state has an invalid {name} ('{Prefix(value)}'): {e.Message.TrimEnd('.')}.", e);
            }
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromConnectionString(string state)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(state);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            // The message of an unknown keyword names it; it never holds the value of Password.
            throw new StateFileException($"The PostgreSQL connection string given with --state is not valid: {e.Message.TrimEnd('.')}. " +
                "See https://www.npgsql.org/doc/connection-string-parameters.html, or write a URI: postgres://user@host:5432/db.", e);
        }
    }

    /// <summary>libpq's sslmode values (disable, allow, prefer, require, verify-ca, verify-full) as Npgsql spells them.</summary>
    private static string SslMode(string value) => value.ToLowerInvariant() switch
    {
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        var v => v,
    };

    private static string Prefix(string value) => Fmt.Clip(value, 40);

    [GeneratedRegex(@"^postgres(ql)?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringHost();
}
