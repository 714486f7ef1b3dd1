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
        // LiteDB's calls block their thread; the pool grows by about two threads a second (see the project file).
        var minimum = Properties()["System.Threading.ThreadPool.MinThreads"];

        Assert.NotNull(minimum);
        Assert.True(minimum.GetValue<int>() >= 64, $"ThreadPool.MinThreads is {minimum}");
    }

    [Fact]
    public void GarbageCollector_IsTheServerCollector()
    {
        // Chosen when the workstation collector doubled the webhook bench's ack p99 (913 ms against 438), but those
        // runs had the bench's own stalls in them (bench/README.md); one run since, with the bench fixed, showed no
        // difference worth a change (ack p99 38 ms against 24-47 ms).
        Assert.True(Properties()["System.GC.Server"]?.GetValue<bool>());
    }

    [Fact]
    public void DynamicPgo_IsOff_SoTheColdLoadRunsNoInstrumentedCode()
    {
        // With it on, a 1M-customer cold start took 1.5-2 s longer (see the project file).
        Assert.False(Properties()["System.Runtime.TieredPGO"]?.GetValue<bool>());
    }

    private static JsonObject Properties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "growthbot.runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        return config["runtimeOptions"]!["configProperties"]!.AsObject();
    }
}
