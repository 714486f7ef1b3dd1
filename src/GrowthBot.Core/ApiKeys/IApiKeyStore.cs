namespace GrowthBot.Core.ApiKeys;

/// <summary>Where API keys are kept. Names are unique ignoring case; ids are unique exactly.</summary>
public interface IApiKeyStore
{
    /// <summary>Adds a key; false (nothing written) when a key of that name exists, revoked or not.</summary>
    bool TryAdd(StoredApiKey key);

    /// <summary>The key with exactly this id, or null.</summary>
    StoredApiKey? Find(string id);

    /// <summary>The key with this name (ignoring case), or null.</summary>
    StoredApiKey? FindByName(string name);

    /// <summary>Every key, oldest first.</summary>
    IReadOnlyList<StoredApiKey> All();

    /// <summary>Marks the key revoked at <paramref name="at"/>; false when there is no such key or it was revoked already.</summary>
    bool Revoke(string name, DateTimeOffset at);
}
