using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Digests;

/// <summary>The data the digest end-to-end tests share, whatever the platform.</summary>
internal static class DigestData
{
    /// <summary>Two weeks of NPS answers: week 47 (10, 6, 6 → 0) and week 48 (10, 10, 9, 6 → +50), with comments.</summary>
    public static void Seed(IServiceProvider services)
    {
        var batch = new GrowthDataBatch();
        var start = new DateTime(2026, 11, 16, 12, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 7; i++) batch.Customers.Add(new Customer($"c{i}", $"Customer {i}", "SMB", "organic", start.AddDays(-100), null));
        batch.Responses.AddRange(
        [
            new SurveyResponse("r1", SurveyKind.Nps, "c0", 10, null, start),
            new SurveyResponse("r2", SurveyKind.Nps, "c1", 6, "Too many clicks", start.AddDays(1)),
            new SurveyResponse("r3", SurveyKind.Nps, "c2", 6, null, start.AddDays(2)),
            new SurveyResponse("r4", SurveyKind.Nps, "c3", 10, "The new onboarding was great", start.AddDays(7)),
            new SurveyResponse("r5", SurveyKind.Nps, "c4", 10, null, start.AddDays(8)),
            new SurveyResponse("r6", SurveyKind.Nps, "c5", 9, "Fast support", start.AddDays(9)),
            new SurveyResponse("r7", SurveyKind.Nps, "c6", 6, "Pricing is unclear", start.AddDays(10)),
        ]);
        services.GetRequiredService<ImportService>().Write(batch);
    }
}
