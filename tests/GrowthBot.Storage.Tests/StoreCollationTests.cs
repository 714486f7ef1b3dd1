using System.Globalization;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using LiteDB;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// A new store compares ids by code point ignoring case (fast); a store created by an earlier
/// version keeps the culture collation LiteDB gave it, which LiteDB never changes once a file exists.
/// Either way an id differing from a stored one only in case is found, and refused.
/// </summary>
public sealed class StoreCollationTests : IDisposable
{
    private static readonly DateTime SignedUp = new(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static GrowthDataBatch Customers(params string[] ids)
    {
        var batch = new GrowthDataBatch();
        foreach (var id in ids) batch.Customers.Add(new Customer(id, "Company " + id, "SMB", "organic", SignedUp, null));
        return batch;
    }

    /// <summary>A file as versions before this one created it: LiteDB's default collation for the host's invariant culture.</summary>
    private void CreateWithCultureCollation()
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = _temp.FilePath, Collation = new Collation(127, CompareOptions.IgnoreCase) });
        database.GetCollection(LiteGrowthStore.CustomersCollection).Insert(new BsonDocument
        {
            ["_id"] = "acme", ["name"] = "Company acme", ["segment"] = "SMB", ["channel"] = "organic", ["signed_up_at"] = SignedUp, ["activated_at"] = BsonValue.Null,
        });
    }

    [Fact]
    public void Open_NewFile_CreatesItWithTheOrdinalIgnoreCaseCollation()
    {
        using var store = _temp.Open();

        Assert.Equal(CompareOptions.OrdinalIgnoreCase, store.Database.Collation.SortOptions);
        Assert.Equal(CultureInfo.InvariantCulture.Name, store.Database.Collation.Culture.Name);
    }

    [Fact]
    public void Open_NewStoreAgain_KeepsItsCollationAndItsRows()
    {
        using (var store = _temp.Open()) store.Write(Customers("acme", "birch"));

        using var reopened = _temp.Open();

        Assert.Equal(CompareOptions.OrdinalIgnoreCase, reopened.Database.Collation.SortOptions);
        Assert.Equal(new StoreWriteResult(1, 0, 2), reopened.Write(Customers("acme", "birch", "cedar")));
    }

    [Fact]
    public void Open_FileCreatedWithTheCultureCollation_KeepsItAndWritesAsBefore()
    {
        CreateWithCultureCollation();

        using var store = _temp.Open();

        Assert.Equal(CompareOptions.IgnoreCase, store.Database.Collation.SortOptions);
        Assert.Equal(new StoreWriteResult(1, 0, 1), store.Write(Customers("acme", "birch")));
        var refused = Assert.Throws<IdCollisionException>(() => store.Write(Customers("ACME")));
        Assert.Equal("ACME", refused.Id);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_IdDifferingOnlyInCaseFromAStoredOne_IsRefusedWhicheverCollation(bool oldFile)
    {
        if (oldFile) CreateWithCultureCollation();
        using var store = _temp.Open();
        if (!oldFile) store.Write(Customers("acme"));

        var refused = Assert.Throws<IdCollisionException>(() => store.Write(Customers("birch", "Acme")));

        Assert.Equal("Acme", refused.Id);
        var stored = new RecordingSink();
        store.ReadAll(stored);
        Assert.Equal(["acme"], stored.Customers.Select(customer => customer.Id));
    }

    [Theory]
    [InlineData(CompareOptions.OrdinalIgnoreCase)]
    [InlineData(CompareOptions.IgnoreCase)]
    [InlineData(CompareOptions.Ordinal)]
    public void ComparerOf_Collation_MatchesIdsAsTheCollationDoes(CompareOptions options)
    {
        var collation = new Collation(127, options);

        var comparer = StoreCollation.ComparerOf(collation);

        foreach (var (left, right) in new[] { ("acme", "ACME"), ("C-001", "c-001"), ("a", "b"), ("Zed", "zed") })
        {
            Assert.Equal(collation.Compare(left, right) == 0, comparer.Equals(left, right));
        }
    }
}
