using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using GrowthBot.Core.Metrics.Index;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

/// <summary>One customer's profile for a follow-up post, read from the same index as every answer.</summary>
public sealed partial class MetricEngine : ICustomerProfiles
{
    /// <inheritdoc />
    public CustomerProfile? Profile(string customerId, DateTime asOf, int maxAnswers)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        _lock.EnterReadLock();
        try
        {
            if (!_directory.TryFind(customerId, out var customer)) return null;
            var moment = EngineUnits.ToSeconds(asOf);
            var signedUp = _directory.SignedUpAt(customer);
            var answers = new List<PastAnswer>();
            // Responses are a timeline of every customer's answers: one scan back from asOf (a follow-up is rare).
            var before = _responses.Range(int.MinValue + 1, moment);
            for (var i = before.Length - 1; i >= 0 && answers.Count < maxAnswers; i--)
            {
                var point = before[i];
                if (point.Customer == customer) answers.Add(new PastAnswer((SurveyKind)point.Survey, point.Score, EngineUnits.ToDateTime(point.Moment)));
            }
            return new CustomerProfile(
                customerId,
                _directory.Segments.NameOf(_directory.SegmentOf(customer)),
                MrrAt(customer, moment) is { } mrr ? EngineUnits.ToDecimal(mrr) : null,
                signedUp == CustomerDirectory.NoMoment ? null : EngineUnits.ToDateTime(signedUp),
                answers);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// A customer's MRR at a moment: their last subscriptions-log row at or before it, from the sorted
    /// part and the rows appended since (a later arrival for the same moment wins); null with none.
    /// </summary>
    internal long? MrrAt(int customer, int moment)
    {
        long? mrr = null;
        var best = int.MinValue;
        var (start, end) = _subscriptions.SortedRowsOf(customer);
        for (var row = start; row < end && _subscriptions.Moments[row] <= moment; row++)
        {
            best = _subscriptions.Moments[row];
            mrr = _subscriptions.Mrr[row];
        }
        for (var row = _subscriptions.SortedCount; row < _subscriptions.Count; row++)
        {
            if (_subscriptions.Customers[row] != customer || _subscriptions.Moments[row] > moment || _subscriptions.Moments[row] < best) continue;
            best = _subscriptions.Moments[row];
            mrr = _subscriptions.Mrr[row];
        }
        return mrr;
    }
}

/// <summary>Each paying customer's survey group at the start of a period, from the same index.</summary>
public sealed partial class MetricEngine : ISurveyCategorySource
{
    /// <inheritdoc />
    public (IReadOnlyList<CategoryMember> Members, int NotAnswered, DataGap? Gap) CategoryMembers(SurveyKind survey, DateTime start, DateTime until)
    {
        _lock.EnterReadLock();
        try
        {
            var first = EngineUnits.ToSeconds(start);
            // The end is exclusive: MRR "at the end" is the last row before it.
            var end = EngineUnits.ToSeconds(until) - 1;
            var latest = new int[_directory.Count];
            Array.Fill(latest, -1);
            foreach (var point in _responses.Range(int.MinValue + 1, first))
            {
                if (point.Survey == (byte)survey) latest[point.Customer] = point.Score;
            }
            var members = new List<CategoryMember>();
            var notAnswered = 0;
            for (var customer = 0; customer < _directory.Count; customer++)
            {
                if (MrrAt(customer, first) is not { } startMrr || startMrr <= 0) continue;
                if (latest[customer] < 0)
                {
                    notAnswered++;
                    continue;
                }
                var score = latest[customer];
                var category = survey switch
                {
                    SurveyKind.Nps => SurveyCategoryFormulas.Nps(score),
                    SurveyKind.Csat => SurveyCategoryFormulas.Csat(score),
                    _ => SurveyCategoryFormulas.Ces(score),
                };
                members.Add(new CategoryMember(category, EngineUnits.ToDecimal(startMrr), EngineUnits.ToDecimal(MrrAt(customer, end) ?? 0)));
            }
            return (members, notAnswered, GapOf(FactSources.RevenueCohort, EngineUnits.ToSeconds(until)));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
