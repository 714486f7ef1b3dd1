namespace GrowthBot.Host.Tests.Cli;

/// <summary><c>growthbot digest --team … --preview</c> prints last week's digest from the store (the clock says Sunday 15 June 2025).</summary>
public sealed class DigestCommandTests : IDisposable
{
    private readonly TempStore _store = new();

    public DigestCommandTests()
    {
        CliRunner.Run("import", "customers", _store.WriteFile("customers.csv", """
            customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
            c1,Acme,SMB,organic,2025-01-05,2025-01-07
            c2,Globex,Enterprise,paid-search,2025-01-10,2025-01-11
            c3,Initech,SMB,paid-search,2025-02-01,
            """), "--db", _store.DbPath);
        CliRunner.Run("import", "responses", _store.WriteFile("responses.csv", """
            response_id,survey,customer_id,score,comment,responded_at
            r1,nps,c1,10,Setup took minutes,2025-06-03
            r2,nps,c2,9,,2025-06-04
            r3,nps,c3,3,"Invoices are confusing",2025-06-05
            r4,nps,c1,2,,2025-05-27
            r5,nps,c2,6,,2025-05-28
            """), "--db", _store.DbPath);
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Digest_TeamPreview_PrintsLastWeeksDigest()
    {
        var chart = Path.Combine(_store.Folder, "chart.png");

        var (exitCode, output, error) = CliRunner.Run("digest", "--team", "marketing", "--preview", "--chart", chart, "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Preview: Marketing digest — week 23, Jun 2–8", output, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score: +33.3 — up 133.3 points from -100 in May 26 – Jun 1, which is good", output, StringComparison.Ordinal);
        Assert.Contains("• “Invoices are confusing” — NPS 3, Jun 5", output, StringComparison.Ordinal);
        Assert.Contains("Survey responses this week: 3 NPS (2 the week before).", output, StringComparison.Ordinal);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], File.ReadAllBytes(chart).Take(4));
        Assert.Contains("Chart written to", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_MetricsInAnotherZone()
    {
        var (exitCode, output, _) = CliRunner.Run("digest", "--metrics", "nps,csat", "--zone", "America/New_York", "--preview", "--db", _store.DbPath);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Preview: nps, csat digest — week 23, Jun 2–8", output, StringComparison.Ordinal);
        Assert.Contains("America/New_York time", output, StringComparison.Ordinal);
        Assert.Contains("No data this week for: Customer satisfaction (CSAT).", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Did you mean marketing?", "digest", "--team", "marketting", "--preview")]
    [InlineData("only previews", "digest", "--team", "marketing")]
    [InlineData("not both", "digest", "--team", "marketing", "--metrics", "nps", "--preview")]
    [InlineData("Europe/Berlin", "digest", "--team", "sales", "--zone", "Europe/Berln", "--preview")]
    public void Digest_Misused_SaysHowToUseIt(string expected, params string[] args)
    {
        var (exitCode, _, error) = CliRunner.Run([.. args, "--db", _store.DbPath]);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
