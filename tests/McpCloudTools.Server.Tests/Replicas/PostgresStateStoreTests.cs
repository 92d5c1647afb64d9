using McpCloudTools.Core.Registry;
using McpCloudTools.Core.State;
using McpCloudTools.State.Postgres;
using McpCloudTools.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace McpCloudTools.Server.Tests.Replicas;

/// <summary>What <c>--state</c> accepts as a database, and the store's tables on a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresStateStoreTests(PostgresServer postgres)
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Theory]
    [InlineData("postgres://mcp:s%40cret@db.internal:6543/state?sslmode=require&application_name=x", "mcp", "s@cret", "db.internal", 6543, "state")]
    [InlineData("postgresql://mcp@[::1]/state", "mcp", null, "::1", 5432, "state")]
    [InlineData("Host=db;Port=5433;Username=mcp;Password=pw;Database=state", "mcp", "pw", "db", 5433, "state")]
    public void AUriOrAConnectionString_NamesTheDatabase(string state, string user, string? password, string host, int port, string database)
    {
        PostgresConnection.IsConnection(state).Should().BeTrue();
        var connection = PostgresConnection.Parse(state, null, NoEnvironment);

        connection.Location.Should().Be($"postgresql://{user}@{host}:{port}/{database}");
        if (password is not null)
        {
            connection.Location.Should().NotContain(password);
        }
    }

    [Theory]
    [InlineData("/var/lib/state.json")]
    [InlineData("none")]
    [InlineData("C:\\state=1.json")]
    public void AFilePath_IsNotADatabase(string state) => PostgresConnection.IsConnection(state).Should().BeFalse();

    [Fact]
    public async Task ThePassword_ComesFromTheFileWhenTheUriHasNone_ThenFromPGPASSWORD()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, postgres.Password + "\n");
            var url = $"postgres://{PostgresServer.User}@127.0.0.1:{postgres.Port}/postgres";
            await using (var fromFile = new PostgresStateStore(PostgresConnection.Parse(url, file, NoEnvironment), NullLogger<PostgresStateStore>.Instance))
            {
                await fromFile.LoadAsync(CancellationToken.None);
            }

            await using var fromEnvironment = new PostgresStateStore(
                PostgresConnection.Parse(url, null, name => name == "PGPASSWORD" ? postgres.Password : null), NullLogger<PostgresStateStore>.Instance);
            await fromEnvironment.LoadAsync(CancellationToken.None);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("postgres://u:hunter2@db/state?frobnicate=1", "frobnicate")]
    [InlineData("postgres://u:hunter2@db", "names no database")]
    [InlineData("Host=db;Database=x;Frobnicate=1", "frobnicate")]
    public void AWrongConnection_IsRefusedWithAMessage_ThatNeverShowsThePassword(string state, string expected)
    {
        var act = () => PostgresConnection.Parse(state, null, NoEnvironment);

        act.Should().Throw<StateFileException>().Which.Message.Should().ContainEquivalentOf(expected).And.NotContain("hunter2");
    }

    [Fact]
    public async Task ReplicasStartingTogether_CreateTheTablesOnce()
    {
        var database = await postgres.CreateDatabaseAsync("migrate");
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgresStateStore(
            PostgresConnection.Parse(postgres.ConnectionString(database), null, NoEnvironment), NullLogger<PostgresStateStore>.Instance)).ToList();
        try
        {
            var loaded = await Task.WhenAll(stores.Select(s => s.LoadAsync(CancellationToken.None).AsTask()));
            loaded.Should().AllSatisfy(l => l.Should().BeNull("nothing is stored yet"));
            var saved = await Task.WhenAll(stores.Select(s => s.SaveAsync(RegistryState.Empty, 0, CancellationToken.None).AsTask()));
            saved.Count(o => o.Saved).Should().Be(1, "one first save wins; the others conflict");
            saved.Where(o => !o.Saved).Should().AllSatisfy(o => o.Version.Should().Be(1));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        await using var connection = new NpgsqlConnection(postgres.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM mcpcloudtools_migrations", connection);
        (await command.ExecuteScalarAsync()).Should().Be((long)PostgresSchema.Version);
    }

    [Fact]
    public async Task ADatabaseMigratedByANewerServer_IsRefused_AndLeftAlone()
    {
        var database = await postgres.CreateDatabaseAsync("newer");
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString(database)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"CREATE TABLE mcpcloudtools_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text); " +
                $"INSERT INTO mcpcloudtools_migrations (version) VALUES ({PostgresSchema.Version + 1})", connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var store = new PostgresStateStore(PostgresConnection.Parse(postgres.ConnectionString(database), null, NoEnvironment), NullLogger<PostgresStateStore>.Instance);
        var act = () => store.LoadAsync(CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<StateFileException>()).Which.Message.Should().Contain("newer McpCloudTools").And.Contain("Nothing was changed");
    }
}
