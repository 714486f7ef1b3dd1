using System.Globalization;
using GrowthBot.Bench.Slack;

namespace GrowthBot.Bench.Cluster;

/// <summary>One load on one topology: what was offered, acknowledged, lost and doubled, and how fast.</summary>
internal sealed record LoadResult(int Offered, int Acknowledged, double Sustained, Distribution Ack, int Lost, int Doubled, string Failures)
{
    public string Cells() => string.Create(CultureInfo.InvariantCulture,
        $"{Acknowledged:N0} of {Offered:N0} | {Sustained:0} | {Distribution.Ms(Ack.Percentile(50))} / {Distribution.Ms(Ack.Percentile(99))} ms | {Lost} | {Doubled}");
}

/// <summary>After kill -9 of the host holding the digest sweep and some unanswered messages: when the survivor took each over.</summary>
internal sealed record TakeoverResult(double? DigestSeconds, int DigestPosts, double? FirstMessageSeconds, double? LastMessageSeconds, int Answered, int Stuck, int Doubled, bool VictimHeldTheSweep)
{
    public string Describe(ClusterBenchOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"kill -9 of the host holding the digest sweep{(VictimHeldTheSweep ? "" : " (it had passed to the other host by the kill)")}: " +
        $"due digest posted by the survivor {Seconds(DigestSeconds)} later ({DigestPosts} post{(DigestPosts == 1 ? "" : "s")}; check-in {options.Checkin.TotalSeconds:0} s + threshold {options.CheckinThreshold.TotalSeconds:0} s); " +
        $"its {Stuck} claimed, unanswered messages answered by the survivor {Seconds(FirstMessageSeconds)} (first) to {Seconds(LastMessageSeconds)} (last) later " +
        $"({Answered} of {Stuck} answered, {Doubled} twice; claim lease {options.ClaimLease.TotalSeconds:0} s)");

    private static string Seconds(double? value) => value is { } seconds ? seconds.ToString("0.0 's'", CultureInfo.InvariantCulture) : "never";
}

/// <summary>Follow latency on two hosts: at rest, and under the Slack-event load.</summary>
internal sealed record FollowMeasurement(FollowResult AtRest, FollowResult UnderLoad)
{
    public string Describe(ClusterBenchOptions options) =>
        $"follow latency (a customer imported through host A, acknowledged → host B's engine counts it; B read every {FollowProbe.PollEvery.TotalMilliseconds:0} ms): " +
        $"at rest {AtRest.Describe()}; under {options.EventRate} Slack events/s through nginx {UnderLoad.Describe()}";
}

/// <summary>Everything measured on one topology.</summary>
internal sealed record TopologyResult(Topology Topology, LoadResult Events, LoadResult Presses, TakeoverResult? Takeover, int HostErrors)
{
    public FollowMeasurement? Follow { get; init; }

    public const string Header =
        "| topology | events acknowledged | events/s | event ack p50 / p99 | lost | doubled | presses acknowledged | presses/s | press ack p50 / p99 | lost | doubled |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|";

    public string Row() => $"| {ClusterBenchOptions.Name(Topology)} | {Events.Cells()} | {Presses.Cells()} |";
}
