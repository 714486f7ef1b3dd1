using GrowthBot.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// ASP.NET Core Data Protection (which encrypts the Slack installations' tokens and signs the install
/// flow's state) keeps its key ring next to the store: <c>STORE.keys/</c> beside <c>STORE</c>. The
/// keys belong with the data they unlock: back them up together; lose the keys and every workspace
/// must install the app again. Where the default would put them (the user profile, or nowhere in a
/// container) they would not survive a redeploy.
/// </summary>
internal static class DataProtectionKeys
{
    public static IServiceCollection AddGrowthBotDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("GrowthBot");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((keys, storage, loggers) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Directory(storage.Value.Path)), loggers));
        return services;
    }

    /// <summary>The key ring's folder for a store file.</summary>
    public static string Directory(string storePath) => Path.GetFullPath(storePath) + ".keys";
}
