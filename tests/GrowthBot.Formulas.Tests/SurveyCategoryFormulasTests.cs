namespace GrowthBot.Formulas.Tests;

/// <summary>Scores meet revenue: the survey groups and churn, NRR and expansion per group, worked by hand.</summary>
public sealed class SurveyCategoryFormulasTests
{
    [Theory]
    [InlineData(10, SurveyCategory.Promoter)]
    [InlineData(9, SurveyCategory.Promoter)]
    [InlineData(8, SurveyCategory.Passive)]
    [InlineData(7, SurveyCategory.Passive)]
    [InlineData(6, SurveyCategory.Detractor)]
    [InlineData(0, SurveyCategory.Detractor)]
    public void Nps_Score_FallsInItsGroup(int score, SurveyCategory expected) => Assert.Equal(expected, SurveyCategoryFormulas.Nps(score));

    [Fact]
    public void CsatAndCes_Scores_FallInTheirGroups()
    {
        Assert.Equal([SurveyCategory.Dissatisfied, SurveyCategory.Dissatisfied, SurveyCategory.NeutralCsat, SurveyCategory.Satisfied, SurveyCategory.Satisfied],
            Enumerable.Range(1, 5).Select(SurveyCategoryFormulas.Csat));
        Assert.Equal([SurveyCategory.Hard, SurveyCategory.Hard, SurveyCategory.Hard, SurveyCategory.NeutralCes, SurveyCategory.Easy, SurveyCategory.Easy, SurveyCategory.Easy],
            Enumerable.Range(1, 7).Select(SurveyCategoryFormulas.Ces));
    }

    [Fact]
    public void Split_HandWorkedGroups_GiveChurnNrrAndExpansion()
    {
        // Promoters: 100 → 150 (expansion 50), 200 → 200, 100 → 0 (churned): start 400, end 350, expansion 50.
        //   churn 1/3 = 33.33 %, NRR 350/400 = 87.5 %, expansion 50/400 = 12.5 %.
        // Detractors: 300 → 0, 100 → 50 (contraction): start 400, end 50, expansion 0.
        //   churn 1/2 = 50 %, NRR 50/400 = 12.5 %, expansion 0 %.
        // A promoter who started paying during the period (start 0) is nobody's base.
        CategoryMember[] members =
        [
            new(SurveyCategory.Promoter, 100m, 150m),
            new(SurveyCategory.Promoter, 200m, 200m),
            new(SurveyCategory.Promoter, 100m, 0m),
            new(SurveyCategory.Promoter, 0m, 500m),
            new(SurveyCategory.Detractor, 300m, 0m),
            new(SurveyCategory.Detractor, 100m, 50m),
        ];

        var split = SurveyCategoryFormulas.Split(members, SurveyCategoryFormulas.GroupsOfNps);

        var (promoters, passives, detractors) = (split[0], split[1], split[2]);
        Assert.Equal((3, 1, 400m, 350m, 50m), (promoters.Customers, promoters.Churned, promoters.StartMrr, promoters.EndMrr, promoters.Expansion));
        Assert.Equal(33.33m, decimal.Round(promoters.CustomerChurnRate!.Value, 2));
        Assert.Equal(87.5m, promoters.Nrr);
        Assert.Equal(12.5m, promoters.ExpansionRate);
        Assert.Equal((2, 1, 50m, 12.5m, 0m), (detractors.Customers, detractors.Churned, detractors.CustomerChurnRate, detractors.Nrr, detractors.ExpansionRate));
        Assert.Equal(SurveyCategory.Passive, passives.Category);
        Assert.Equal((0, (decimal?)null, (decimal?)null, (decimal?)null), (passives.Customers, passives.CustomerChurnRate, passives.Nrr, passives.ExpansionRate));
        Assert.All(split, group => Assert.True(group.TooSmall));
    }

    [Fact]
    public void Split_GroupAtTheMinimum_IsComparable_OneBelowIsNot()
    {
        var members = Enumerable.Repeat(new CategoryMember(SurveyCategory.Satisfied, 10m, 10m), SurveyCategoryFormulas.MinimumGroupSize)
            .Concat(Enumerable.Repeat(new CategoryMember(SurveyCategory.Dissatisfied, 10m, 0m), SurveyCategoryFormulas.MinimumGroupSize - 1));

        var split = SurveyCategoryFormulas.Split(members, SurveyCategoryFormulas.GroupsOfCsat);

        Assert.False(split[0].TooSmall);
        Assert.Equal((100m, 0m), (split[0].Nrr!.Value, split[0].CustomerChurnRate!.Value));
        Assert.True(split[2].TooSmall);
        Assert.Equal((0m, 100m), (split[2].Nrr!.Value, split[2].CustomerChurnRate!.Value));
    }
}
