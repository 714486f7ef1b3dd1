using System.Text.Json.Nodes;

namespace GrowthBot.Host.Tests.Operations;

/// <summary>
/// The runtime settings the host ships with (growthbot.runtimeconfig.json, built from its project file):
/// what a deployment gets whether it runs under systemd, in a container or by hand.
/// </summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void ThreadPool_StartsWithEnoughWorkers_ForLiteDbsBlockingCalls()
    {
        // Fewer, and a burst of webhooks waiting on the store file's lock used up the pool: every request stalled
        // until the pool grew, about two threads a second (bench/README.md, webhook benchmark).
        var minimum = Properties()["System.Threading.ThreadPool.MinThreads"];

        Assert.NotNull(minimum);
        Assert.True(minimum.GetValue<int>() >= 64, $"ThreadPool.MinThreads is {minimum}");
    }

    [Fact]
    public void GarbageCollector_IsTheServerCollector()
    {
        // The workstation collector's pauses at a 1.4 GB heap doubled the webhook bench's ack p99 (913 ms against 438).
        Assert.True(Properties()["System.GC.Server"]?.GetValue<bool>());
    }

    private static JsonObject Properties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "growthbot.runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        return config["runtimeOptions"]!["configProperties"]!.AsObject();
    }
}
