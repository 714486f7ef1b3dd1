using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Import;

/// <summary>A file to import: what it holds and where to read it.</summary>
public sealed record ImportFile(ImportKind Kind, TextReader Reader);

/// <summary>
/// Rows that refer to a customer who is neither in the store nor imported by the same command.
/// Such rows would count in MRR and the churn base with no segment or channel, so they are refused
/// by line, with the advice to import the customers first (or in the same command).
/// </summary>
internal static class UnknownCustomers
{
    private const int MaxPerFile = 100;

    public static List<IReadOnlyList<ImportError>> Find(IReadOnlyList<ImportKind> kinds, IReadOnlyList<ImportParseResult> files, IGrowthStore store)
    {
        var result = files.Select(_ => (IReadOnlyList<ImportError>)[]).ToList();
        if (files.All(file => file.ReferenceList.Count == 0)) return result;
        var known = new HashSet<string>(store.CustomerIds(), StringComparer.Ordinal);
        foreach (var file in files) known.UnionWith(file.Batch.Customers.Select(customer => customer.Id));
        // Ids are exact, but a reference that differs from a known id only in case is far more
        // likely a typo of that customer than a new one: say so rather than "does not exist".
        var knownIgnoringCase = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in known) knownIgnoringCase.TryAdd(id, id);
        for (var i = 0; i < files.Count; i++)
        {
            var errors = new List<ImportError>();
            foreach (var reference in files[i].ReferenceList)
            {
                if (known.Contains(reference.CustomerId)) continue;
                if (errors.Count == MaxPerFile)
                {
                    errors.Add(new ImportError(reference.Line, $"stopped after {MaxPerFile} rows for unknown customers"));
                    break;
                }
                if (knownIgnoringCase.TryGetValue(reference.CustomerId, out var sameButCase))
                {
                    errors.Add(new ImportError(reference.Line, new IdCollisionException("customer", reference.CustomerId, sameButCase).Message));
                    continue;
                }
                errors.Add(new ImportError(reference.Line,
                    $"customer {reference.CustomerId} does not exist; import customers first (or in the same command: growthbot import customers FILE {ImportKinds.NameOf(kinds[i])} FILE)"));
            }
            result[i] = errors;
        }
        return result;
    }
}
