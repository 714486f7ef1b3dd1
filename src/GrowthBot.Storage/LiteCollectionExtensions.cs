using LiteDB;

namespace GrowthBot.Storage;

internal static class LiteCollectionExtensions
{
    /// <summary>Inserts the document; false, and nothing written, when its id is already there.</summary>
    public static bool TryInsert(this ILiteCollection<BsonDocument> collection, BsonDocument document)
    {
        try
        {
            collection.Insert(document);
            return true;
        }
        catch (LiteException exception) when (exception.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false;
        }
    }
}
