namespace GrowthBot.Host.Tests.Cli;

/// <summary>
/// Three customers and six survey answers, imported through the CLI: in March 2025 two promoters,
/// one passive and one detractor (NPS 25; SMB 0, Enterprise 100), in February one detractor.
/// </summary>
internal static class SurveySample
{
    public static void ImportInto(TempStore store)
    {
        CliRunner.Run("import", "customers", store.WriteFile("customers.csv", """
            customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
            c1,Acme,SMB,organic,2025-01-05,2025-01-07
            c2,Globex,Enterprise,paid-search,2025-01-10,2025-01-11
            c3,Initech,SMB,paid-search,2025-02-01,
            """), "--db", store.DbPath);
        CliRunner.Run("import", "responses", store.WriteFile("responses.csv", """
            response_id,survey,customer_id,score,comment,responded_at
            r1,nps,c1,10,Love it,2025-03-02
            r2,nps,c2,9,,2025-03-03
            r3,nps,c3,3,"Too slow, sorry",2025-03-04
            r4,nps,c1,8,,2025-03-05
            r5,nps,c2,6,,2025-02-10
            r6,csat,c1,5,,2025-03-06
            """), "--db", store.DbPath);
    }
}
