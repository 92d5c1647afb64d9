using McpCloudTools.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace McpCloudTools.Server.Tests.Replicas;

/// <summary>One throwaway PostgreSQL for every test of the collection, torn down after the last.</summary>
[CollectionDefinition(Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}

/// <summary>The PostgreSQL fixture is a real server: it answers, authenticates, goes away and comes back with its data.</summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresServerTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Fixture_ServesADatabaseOfItsOwn_ThenStopsAndStartsAgainWithItsData()
    {
        output.WriteLine($"PostgreSQL {postgres.Version} on 127.0.0.1:{postgres.Port}, first start {postgres.StartTime.TotalMilliseconds:0} ms");
        var database = await postgres.CreateDatabaseAsync("fixture");
        await using (var setup = new NpgsqlConnection(postgres.ConnectionString(database)))
        {
            await setup.OpenAsync();
            await Execute(setup, "CREATE TABLE plugins (id text PRIMARY KEY, version bigint NOT NULL)");
            await Execute(setup, "INSERT INTO plugins VALUES ('ec2', 1), ('eks', 1)");
            ((string)(await Scalar(setup, "SELECT version()"))!).Should().StartWith($"PostgreSQL {postgres.Version}.");
            ((string)(await Scalar(setup, "SELECT current_database()"))!).Should().Be(database);
        }

        await using var held = new NpgsqlConnection(postgres.ConnectionString(database));
        await held.OpenAsync();
        var stop = System.Diagnostics.Stopwatch.StartNew();
        await postgres.StopAsync();
        output.WriteLine($"stopped in {stop.ElapsedMilliseconds} ms");
        postgres.IsRunning.Should().BeFalse();

        // What a replica sees while the database is away: its open connection breaks, a new one is refused.
        await FluentActions.Awaiting(() => Scalar(held, "SELECT count(*) FROM plugins")).Should().ThrowAsync<NpgsqlException>();
        await using (var refused = new NpgsqlConnection(postgres.ConnectionString(database)))
        {
            (await FluentActions.Awaiting(() => refused.OpenAsync()).Should().ThrowAsync<NpgsqlException>())
                .Which.InnerException.Should().BeOfType<System.Net.Sockets.SocketException>();
        }

        var start = System.Diagnostics.Stopwatch.StartNew();
        await postgres.StartAsync();
        output.WriteLine($"started again in {start.ElapsedMilliseconds} ms");
        await using var again = new NpgsqlConnection(postgres.ConnectionString(database));
        await again.OpenAsync();
        ((long)(await Scalar(again, "SELECT count(*) FROM plugins"))!).Should().Be(2, "what was committed before the stop is still there");
    }

    [Fact]
    public async Task ACrash_LosesNothingCommitted()
    {
        var database = await postgres.CreateDatabaseAsync("crash");
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString(database)))
        {
            await connection.OpenAsync();
            await Execute(connection, "CREATE TABLE changes (n int)");
            await Execute(connection, "INSERT INTO changes SELECT generate_series(1, 1000)");
        }

        await postgres.StopAsync(immediate: true);
        await postgres.StartAsync();

        await using var after = new NpgsqlConnection(postgres.ConnectionString(database));
        await after.OpenAsync();
        ((long)(await Scalar(after, "SELECT count(*) FROM changes"))!).Should().Be(1000);
    }

    [Fact]
    public async Task AWrongPassword_IsRefused()
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString()) { Password = "not-the-password" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        (await FluentActions.Awaiting(() => connection.OpenAsync()).Should().ThrowAsync<PostgresException>())
            .Which.SqlState.Should().Be(PostgresErrorCodes.InvalidPassword);
        postgres.Url("db").Should().Be($"postgres://postgres:{postgres.Password}@127.0.0.1:{postgres.Port}/db");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
