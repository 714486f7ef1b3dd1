using GrowthBot.Storage;
using GrowthBot.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthBot.Host.Hosting;

/// <summary>Which store the host runs on: <c>Storage__Provider</c> (<c>litedb</c>, the default, or <c>postgres</c>).</summary>
internal sealed class StorageProviderOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>litedb</c> (default: one file, one process) or <c>postgres</c> (with <see cref="ConnectionString"/>).</summary>
    public string? Provider { get; set; }

    /// <summary>The Npgsql connection string when <see cref="Provider"/> is <c>postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    public StoreProvider Kind => Parse(Provider) ?? StoreProvider.LiteDb;

    public static StoreProvider? Parse(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        null or "" or "litedb" => StoreProvider.LiteDb,
        "postgres" or "postgresql" => StoreProvider.Postgres,
        _ => null,
    };
}

internal enum StoreProvider
{
    LiteDb,
    Postgres,
}

/// <summary>Where the store is, for the start-up log and the health detail (never a password).</summary>
internal sealed record StoreDescription(StoreProvider Provider, string Location);

/// <summary>An unknown provider, or PostgreSQL without a usable connection string, stops the host at start with one line.</summary>
internal sealed class StorageProviderValidator : IValidateOptions<StorageProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageProviderOptions options)
    {
        if (StorageProviderOptions.Parse(options.Provider) is not { } provider)
            return ValidateOptionsResult.Fail($"Storage__Provider must be 'litedb' (the default: one file) or 'postgres'; it is '{options.Provider}'.");
        if (provider != StoreProvider.Postgres) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail("Storage__ConnectionString is required with Storage__Provider=postgres (an Npgsql connection string: Host=…;Port=5432;Database=growthbot;Username=…;Password=…).");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException exception)
        {
            // Npgsql names the keyword it does not know, never the values (the password stays out of the log).
            return ValidateOptionsResult.Fail($"Storage__ConnectionString is not an Npgsql connection string ({exception.Message.Split('\n')[0].TrimEnd('.')}).");
        }
        return ValidateOptionsResult.Success;
    }
}

internal static class StoreSelection
{
    /// <summary>
    /// Adds the store <c>Storage__Provider</c> names: the LiteDB file (default) or PostgreSQL. Read from
    /// the configuration the host is built with (environment, appsettings, command line), because the two
    /// register different services. A bad value stops the host there with one line (exit code 5), and the
    /// bound options are checked again at start.
    /// </summary>
    public static IServiceCollection AddGrowthBotStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageProviderOptions>().BindConfiguration(StorageProviderOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageProviderOptions>, StorageProviderValidator>();
        var settings = new StorageProviderOptions
        {
            Provider = configuration[$"{StorageProviderOptions.SectionName}:{nameof(StorageProviderOptions.Provider)}"],
            ConnectionString = configuration[$"{StorageProviderOptions.SectionName}:{nameof(StorageProviderOptions.ConnectionString)}"],
        };
        // Refused here, before any store is added (and so before one is opened or created): the start stops with one line.
        if (new StorageProviderValidator().Validate(null, settings) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(nameof(StorageProviderOptions), typeof(StorageProviderOptions), invalid.Failures);
        }
        if (settings.Kind == StoreProvider.Postgres)
        {
            // The key ring (DataProtectionKeys) still lives beside Storage__Path.
            services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
            services.AddGrowthBotPostgresStorage(validateOnStart: false);
            services.AddHostedService<GrowthFollowService>();
            services.AddSingleton(provider => new StoreDescription(StoreProvider.Postgres, $"PostgreSQL {provider.GetRequiredService<PostgresDatabase>().Description}"));
        }
        else
        {
            services.AddGrowthBotStorage();
            services.AddSingleton(provider => new StoreDescription(StoreProvider.LiteDb, provider.GetRequiredService<LiteGrowthStore>().FilePath));
        }
        return services;
    }
}
