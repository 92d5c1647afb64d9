using McpCloudTools.Core.State;
using Npgsql;

namespace McpCloudTools.State.Postgres;

/// <summary>
/// The server's tables, created and migrated by the server itself on start: numbered migrations recorded in
/// <c>mcpcloudtools_migrations</c>, each applied once, all in one transaction that holds a transaction-scoped advisory
/// lock, so replicas starting together apply them once and the others wait and find them done. A database migrated by
/// a newer server is refused rather than written with an older layout.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The advisory lock key (any constant; "mcpcloud" in ASCII) that serialises migrations across replicas.</summary>
    public const long LockKey = 0x6D6370636C6F7564;

    /// <summary>The migrations, in order; a new one is appended, never edited.</summary>
    private static readonly string[] Migrations =
    [
        // 1: the state document, one row per document (today one: "registry"), its revision the optimistic version.
        """
        CREATE TABLE mcpcloudtools_state (
            name text PRIMARY KEY,
            revision bigint NOT NULL CHECK (revision > 0),
            schema_version int NOT NULL,
            document jsonb NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            updated_by text
        )
        """,
    ];

    /// <summary>The newest migration this version knows.</summary>
    public static int Version => Migrations.Length;

    /// <summary>Applies the missing migrations; returns the numbers applied (none when another replica did).</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        await using var connection = await data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS mcpcloudtools_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text)",
            cancellationToken).ConfigureAwait(false);
        int current;
        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM mcpcloudtools_migrations", connection, transaction))
        {
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > Version)
        {
            throw new StateFileException($"The database {connection.Database} on {connection.Host} has McpCloudTools tables at migration {current}, " +
                $"made by a newer McpCloudTools (this one knows up to {Version}). Upgrade this server, or give --state another database. Nothing was changed.");
        }

        var applied = new List<int>();
        for (var version = current + 1; version <= Version; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO mcpcloudtools_migrations (version, applied_by) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"{Environment.MachineName}:{Environment.ProcessId}" });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
