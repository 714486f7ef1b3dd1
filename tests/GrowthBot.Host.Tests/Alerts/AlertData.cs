using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Alerts;

/// <summary>
/// The data the alert end-to-end tests share: 60 customers, half of them in a segment whose name
/// needs escaping, who all answered NPS 10 eight days ago; then, as a data change, the segment's
/// customers answer 0.
/// </summary>
internal static class AlertData
{
    public const string Segment = "Big & <Co>";

    public static void Seed(IServiceProvider services, DateTimeOffset now)
    {
        var batch = new GrowthDataBatch();
        for (var i = 0; i < 60; i++) batch.Customers.Add(new Customer($"c{i}", $"Customer {i}", i < 30 ? Segment : "SMB", "organic", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        for (var i = 0; i < 60; i++) batch.Responses.Add(new SurveyResponse($"old{i}", SurveyKind.Nps, $"c{i}", 10, null, now.UtcDateTime.AddDays(-8)));
        services.GetRequiredService<ImportService>().Write(batch);
    }

    /// <summary>
    /// Customers <paramref name="from"/> to <paramref name="to"/> (exclusive) answer <paramref name="score"/> a day ago: within the
    /// alert's last 7 days and also within a typed question's "last 7 days" (whole days up to yesterday), so the two explanations can be compared.
    /// </summary>
    public static void Answer(IServiceProvider services, DateTimeOffset now, int from, int to, int score)
    {
        var batch = new GrowthDataBatch();
        for (var i = from; i < to; i++) batch.Responses.Add(new SurveyResponse($"new{i}", SurveyKind.Nps, $"c{i}", score, null, now.UtcDateTime.AddDays(-1)));
        services.GetRequiredService<ImportService>().Write(batch);
    }

    /// <summary>
    /// The explanation proper, from "Numerator:" on, without the line naming the previous period's dates: an alert's
    /// last 7 days end now, a typed question's end with yesterday, so only the dates in those lines differ.
    /// </summary>
    public static IReadOnlyList<string> Explanation(string text) =>
        [.. text.Split('\n').SkipWhile(line => !line.StartsWith("Numerator:", StringComparison.Ordinal)).Where(line => !line.StartsWith("Previous period", StringComparison.Ordinal))];
}
