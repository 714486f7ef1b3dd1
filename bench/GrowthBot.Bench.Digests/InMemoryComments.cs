using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Bench.Digests;

/// <summary>
/// The generated responses' comments sorted by time, read by binary search: the in-memory stand-in
/// for the store's indexed query (writing a million responses to LiteDB first would dominate the run).
/// </summary>
internal sealed class InMemoryComments(IEnumerable<SurveyResponse> responses) : ISurveyComments
{
    private readonly SurveyResponse[] _byTime = responses.Where(response => !string.IsNullOrWhiteSpace(response.Comment)).OrderBy(response => response.RespondedAt).ToArray();

    public IReadOnlyList<SurveyComment> Recent(DateTimeOffset since, DateTimeOffset until, int limit = 50, IReadOnlyCollection<SurveyKind>? kinds = null)
    {
        var surveys = kinds ?? Enum.GetValues<SurveyKind>();
        var end = LowerBound(until.UtcDateTime);
        var found = new List<SurveyComment>();
        for (var i = end - 1; i >= 0 && _byTime[i].RespondedAt >= since.UtcDateTime && found.Count < limit; i--)
        {
            var response = _byTime[i];
            if (surveys.Contains(response.Survey)) found.Add(new SurveyComment(response.Survey, response.Score, response.Comment!, response.CustomerId, null, new DateTimeOffset(response.RespondedAt, TimeSpan.Zero)));
        }
        return found;
    }

    private int LowerBound(DateTime moment)
    {
        int low = 0, high = _byTime.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_byTime[middle].RespondedAt < moment) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}
