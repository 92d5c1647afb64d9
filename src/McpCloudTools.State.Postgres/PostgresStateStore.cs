using System.Globalization;
using System.Text;
using McpCloudTools.Core;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.State;
using Microsoft.Extensions.Logging;
using Npgsql;
using McpCloudTools.Core.Output;

namespace McpCloudTools.State.Postgres;

/// <summary>
/// Keeps the registry's state in PostgreSQL so that several replicas share it. The state is the same JSON document as
/// the state file (<see cref="StateDocumentCodec"/>: same schema, same migrations), in one row whose
/// <c>revision</c> column is the version a conditional save checks: <c>UPDATE … WHERE revision = expected</c> in a
/// transaction, so of two replicas saving on the same version one wins and the other gets a conflict (the state owner
/// then recomputes its change on the winner's state). One row rather than a normalised schema because the state owner
/// changes the state as one snapshot with one version: a row per instance would need the same whole-state version to
/// keep cross-instance rules (unique names, one active cluster) atomic, and would split one format into two.
/// <para>
/// Each save notifies <c>mcpcloudtools_state</c> in its transaction; a dedicated connection LISTENs and raises
/// <see cref="ChangedElsewhere"/>. When that connection drops, the store is out of reach: <see cref="Problem"/> says
/// why, saves are refused with <see cref="StateUnavailableException"/> (the replica serves its last state), and it
/// reconnects with backoff; on reconnect it raises <see cref="ChangedElsewhere"/> so the owner reloads and compares
/// versions, so a notification missed while away is never lost.
/// </para>
/// </summary>
public sealed partial class PostgresStateStore : IStateStore, IStateChangeFeed, IStateStoreHealth, IStateVersionProbe, IAsyncDisposable
{
    /// <summary>The channel every save notifies, with the new revision as payload.</summary>
    public const string Channel = "mcpcloudtools_state";

    private const string DocumentName = "registry";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    /// <summary>How often the listening connection is checked when no notification comes (a silent network loss).</summary>
    private static readonly TimeSpan Ping = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _data;
    private readonly ILogger<PostgresStateStore> _logger;
    private readonly TimeProvider _time;
    private readonly StateDocumentCodec _codec;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private bool _schemaReady;
    private Task? _listener;
    private volatile StoreProblem? _problem;

    /// <summary>Creates the store; nothing connects before the first load.</summary>
    public PostgresStateStore(PostgresConnection connection, ILogger<PostgresStateStore> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Location = connection.Location;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _codec = new StateDocumentCodec($"The state in {Location}", "fix it, or start with --state <other database>");
        // The slim builder keeps NativeAOT output small and trim-clean: only the types used here (text, int, bigint)
        // plus TLS, which managed databases require.
        var builder = new NpgsqlSlimDataSourceBuilder(connection.Builder.ConnectionString);
        builder.EnableTransportSecurity();
        _data = builder.Build();
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public StoreProblem? Problem => _problem;

    /// <inheritdoc />
    public event EventHandler<long>? ChangedElsewhere;

    /// <inheritdoc />
    /// <remarks>The first load creates or migrates the tables (<see cref="PostgresSchema"/>) and starts listening.</remarks>
    public async ValueTask<StoredState?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT revision, document::text FROM mcpcloudtools_state WHERE name = $1", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DocumentName });
            long revision;
            string document;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                revision = reader.GetInt64(0);
                document = reader.GetString(1);
            }

            var decoded = _codec.Decode(Encoding.UTF8.GetBytes(document), _time.GetUtcNow());
            if (decoded.SchemaVersion == StateDocumentCodec.CurrentSchemaVersion)
            {
                return new StoredState(decoded.State, revision);
            }

            // A document from an older server: saved in the current schema, once (a replica that lost the race reads the winner's).
            var outcome = await SaveAsync(decoded.State, revision, cancellationToken).ConfigureAwait(false);
            LogMigrated(_logger, Location, decoded.SchemaVersion, StateDocumentCodec.CurrentSchemaVersion);
            return outcome.Saved ? new StoredState(decoded.State, outcome.Version) : await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            throw new StateFileException($"Cannot read the state from {Location}: {Reason(e)}. Check that the database is up and reachable " +
                "and that the user may connect (password from the URI, --state-password-file or PGPASSWORD).", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask<SaveOutcome> SaveAsync(RegistryState state, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_problem is { } problem)
        {
            throw Unavailable(problem.Reason, problem.Since, null);
        }

        var next = expectedVersion + 1;
        var document = Encoding.UTF8.GetString(StateDocumentCodec.Encode(state, next));
        try
        {
            await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var sql = expectedVersion == 0
                ? "INSERT INTO mcpcloudtools_state (name, revision, schema_version, document, updated_by) VALUES ($1, $2, $3, $4::jsonb, $5) " +
                  "ON CONFLICT (name) DO NOTHING RETURNING revision"
                : "UPDATE mcpcloudtools_state SET revision = $2, schema_version = $3, document = $4::jsonb, updated_at = now(), updated_by = $5 " +
                  "WHERE name = $1 AND revision = $6 RETURNING revision";
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DocumentName });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = next });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = StateDocumentCodec.CurrentSchemaVersion });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = document });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Writer });
                if (expectedVersion != 0)
                {
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
                }

                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return SaveOutcome.Conflict(await StoredRevisionAsync(connection, cancellationToken).ConfigureAwait(false));
                }
            }

            // Delivered to every listener when (and only if) the transaction commits.
            await using (var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction))
            {
                notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channel });
                notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = next.ToString(CultureInfo.InvariantCulture) });
                await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return SaveOutcome.Success(next);
        }
        catch (Exception e) when (IsDatabaseFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            if (e is PostgresException { IsTransient: false } refused)
            {
                throw new StateNotSavedException($"The change was not made: {Location} refused the write ({refused.SqlState}: {refused.MessageText}). " +
                    "Check the database user's privileges on the mcpcloudtools_* tables.", e);
            }

            throw Unavailable(Reason(e), _time.GetUtcNow(), e);
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> StoredVersionAsync(CancellationToken cancellationToken)
    {
        if (_problem is { } problem)
        {
            throw Unavailable(problem.Reason, problem.Since, null);
        }

        try
        {
            await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await StoredRevisionAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDatabaseFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(Reason(e), _time.GetUtcNow(), e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            try
            {
                await _listener.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _data.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _schemaGate.Dispose();
    }

    private static string Writer => $"{Environment.MachineName}:{Environment.ProcessId}";

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                var applied = await PostgresSchema.MigrateAsync(_data, cancellationToken).ConfigureAwait(false);
                if (applied.Count > 0)
                {
                    LogSchema(_logger, Location, string.Join(", ", applied));
                }

                _schemaReady = true;
                _listener = Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private static async Task<long> StoredRevisionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT revision FROM mcpcloudtools_state WHERE name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DocumentName });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long revision ? revision : 0;
    }

    /// <summary>
    /// Holds one connection that LISTENs; on any failure marks the store out of reach, then reconnects with backoff
    /// (250 ms doubling to 5 s). Every (re)connection raises <see cref="ChangedElsewhere"/> so that the owner reloads.
    /// </summary>
    private async Task ListenAsync(CancellationToken stop)
    {
        var delay = FirstRetry;
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _data.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                if (_problem is { } was)
                {
                    // Connections pooled before the outage are dead; saves must not find them.
                    _data.Clear();
                    _problem = null;
                    LogRecovered(_logger, Location, (long)(_time.GetUtcNow() - was.Since).TotalMilliseconds);
                }

                delay = FirstRetry;
                if (!first)
                {
                    ChangedElsewhere?.Invoke(this, long.MaxValue);
                }

                first = false;
                while (true)
                {
                    if (!await connection.WaitAsync(Ping, stop).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)Ping.TotalSeconds };
                        await ping.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                first = false;
                if (_problem is null)
                {
                    _problem = new StoreProblem(Reason(e), _time.GetUtcNow());
                    _data.Clear();
                    LogLost(_logger, Location, _problem.Reason);
                }
                else
                {
                    LogRetry(_logger, Location, Reason(e), (long)delay.TotalMilliseconds);
                }

                try
                {
                    await Task.Delay(delay, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == Channel && long.TryParse(e.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            ChangedElsewhere?.Invoke(this, revision);
        }
    }

    private StateUnavailableException Unavailable(string reason, DateTimeOffset since, Exception? inner) =>
        new($"The change was not made: the shared state database {Location} is unreachable since {since.UtcDateTime:HH:mm:ss} UTC ({reason}). " +
            "This server keeps serving its last state and reconnects by itself; retry in a few seconds (/readyz says when the database is back).", inner);

    private static bool IsDatabaseFailure(Exception e) =>
        e is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException or InvalidOperationException
            || (e is OperationCanceledException && e.InnerException is TimeoutException);

    /// <summary>What failed, in one line; Npgsql's messages never hold the password.</summary>
    private static string Reason(Exception e)
    {
        var inner = e.InnerException is { } i && i.Message.Length > 0 && !e.Message.Contains(i.Message, StringComparison.Ordinal) ? $": {i.Message.TrimEnd('.')}" : "";
        var message = (e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.Message).TrimEnd('.') + inner;
        message = message.ReplaceLineEndings(" ");
        return Fmt.Clip(message, 300);
    }

    [LoggerMessage(LogLevel.Warning, "Lost the connection to the shared state database {Location} ({Reason}): serving the last state, refusing changes, reconnecting")]
    private static partial void LogLost(ILogger logger, string location, string reason);

    [LoggerMessage(LogLevel.Debug, "Still cannot reach {Location} ({Reason}); next attempt in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string location, string reason, long delayMs);

    [LoggerMessage(LogLevel.Warning, "Reconnected to the shared state database {Location} after {DownMs} ms; reloading the state")]
    private static partial void LogRecovered(ILogger logger, string location, long downMs);

    [LoggerMessage(LogLevel.Information, "Database {Location}: applied schema migrations {Migrations}")]
    private static partial void LogSchema(ILogger logger, string location, string migrations);

    [LoggerMessage(LogLevel.Information, "Migrated the state in {Location} from document schema {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string location, int from, int to);
}
