using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Architecture;

/// <summary>Formulas ← Core ← {Storage, Slack, Teams} ← Host: Core never sees a web, database, scheduler or chat type.</summary>
public sealed class DependencyDirectionTests
{
    private static readonly string[] ForbiddenInCore =
    [
        "Microsoft.AspNetCore", "LiteDB", "Quartz", "GrowthBot.Storage", "GrowthBot.Slack", "GrowthBot.Teams", "GrowthBot.Host",
    ];

    [Fact]
    public void Formulas_ReferencesOnlyTheRuntime()
    {
        var references = typeof(SurveyFormulas).Assembly.GetReferencedAssemblies().Select(name => name.Name!);

        Assert.All(references, name => Assert.True(name is "System.Runtime" or "System.Linq" or "System.Collections" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal), name));
    }

    [Fact]
    public void Core_ReferencesNoWebDatabaseSchedulerOrChatAssembly()
    {
        var references = typeof(MetricEngine).Assembly.GetReferencedAssemblies().Select(name => name.Name!).ToList();

        foreach (var forbidden in ForbiddenInCore)
        {
            Assert.DoesNotContain(references, name => name.StartsWith(forbidden, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Core_PublicTypesAreNotShapedLikeAPlatform()
    {
        var names = typeof(MetricEngine).Assembly.GetExportedTypes().Select(type => type.FullName!);

        Assert.DoesNotContain(names, name => name.Contains("Slack", StringComparison.OrdinalIgnoreCase) || name.Contains("Teams", StringComparison.Ordinal) || name.Contains("Bson", StringComparison.Ordinal));
    }
}
