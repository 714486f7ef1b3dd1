using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using GrowthBot.Host.Hosting;

namespace GrowthBot.Host.Cli;

/// <summary>
/// A survey recipients file: CSV with the header <c>customer_id, platform, user_id</c> (any order,
/// names case-insensitive); platform is <c>slack</c> (user_id <c>U…</c>) or <c>teams</c> (user_id
/// the person's Microsoft Entra object id). An optional <c>workspace</c> column names the Slack workspace
/// (<c>T…</c>) or Enterprise Grid org (<c>E…</c>) the person is in, which a bot installed in several
/// workspaces needs to reach them. Every bad line is reported with its number.
/// </summary>
internal static class RecipientsFile
{
    public const string Header = "customer_id, platform, user_id";

    public static (List<RecipientLine> Lines, List<string> Problems) Read(TextReader reader)
    {
        var lines = new List<RecipientLine>();
        var problems = new List<string>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, DetectColumnCountChanges = false, IgnoreBlankLines = true };
        using var parser = new CsvParser(reader, configuration, leaveOpen: true);
        if (!parser.Read())
        {
            problems.Add($"line 1: the file is empty; expected the header {Header}");
            return (lines, problems);
        }
        var header = (parser.Record ?? []).Select(name => name.Trim().ToLowerInvariant()).ToList();
        var (customer, platform, user, workspace) = (header.IndexOf("customer_id"), header.IndexOf("platform"), header.IndexOf("user_id"), header.IndexOf("workspace"));
        if (customer < 0 || platform < 0 || user < 0)
        {
            problems.Add($"line 1: the header must name the columns {Header} (found: {string.Join(", ", header)})");
            return (lines, problems);
        }
        try
        {
            while (parser.Read())
            {
                var record = parser.Record ?? [];
                var number = parser.RawRow;
                string Field(int index) => index >= 0 && index < record.Length ? record[index].Trim() : string.Empty;
                var line = new RecipientLine(Field(customer), Field(platform).ToLowerInvariant(), Field(user), number, Field(workspace) is { Length: > 0 } named ? named : null);
                var wrong = new List<string>();
                if (line.CustomerId.Length == 0) wrong.Add("customer_id is empty");
                if (!SurveyEndpoints.TryPlatform(line.Platform, out _)) wrong.Add($"platform '{line.Platform}' is not slack or teams");
                if (line.UserId.Length == 0) wrong.Add("user_id is empty");
                if (wrong.Count > 0) problems.Add($"line {number}: {string.Join("; ", wrong)}");
                else lines.Add(line);
            }
        }
        catch (CsvHelperException exception)
        {
            problems.Add($"line {parser.RawRow}: the file is not valid CSV here ({exception.GetType().Name})");
        }
        if (lines.Count == 0 && problems.Count == 0) problems.Add("the file lists no recipients");
        return (lines, problems);
    }
}
