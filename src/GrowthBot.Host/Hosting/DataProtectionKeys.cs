using GrowthBot.Storage;
using GrowthBot.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// ASP.NET Core Data Protection (which encrypts the Slack installations' tokens and signs the install
/// flow's state) keeps its key ring with the store. On LiteDB: <c>STORE.keys/</c> beside <c>STORE</c>.
/// On PostgreSQL: the <c>data_protection_keys</c> table, so every host reads the keys another created
/// and no folder has to be shared between machines. The keys belong with the data they unlock: back
/// them up together; lose the keys and every workspace must install the app again. Where the default
/// would put them (the user profile, or nowhere in a container) they would not survive a redeploy.
/// </summary>
internal static class DataProtectionKeys
{
    public static IServiceCollection AddGrowthBotDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("GrowthBot");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageProviderOptions>, IOptions<StorageOptions>, ILoggerFactory, IServiceProvider>(
            (keys, provider, storage, loggers, services) => keys.XmlRepository = provider.Value.Kind == StoreProvider.Postgres
                ? DatabaseKeyRing.Open(services.GetRequiredService<PostgresDatabase>(), Directory(storage.Value.Path), loggers)
                : new FileSystemXmlRepository(new DirectoryInfo(Directory(storage.Value.Path)), loggers));
        return services;
    }

    /// <summary>The key ring's folder for a store file.</summary>
    public static string Directory(string storePath) => Path.GetFullPath(storePath) + ".keys";
}
