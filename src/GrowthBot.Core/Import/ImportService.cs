using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Import;

/// <summary>
/// Imports a file: parse all of it, then (only if every row is good) write it to the store in
/// one transaction and make it visible to the metric engine. The command line imports without
/// an engine (nothing there is answering questions); the host passes its engine so every new
/// row is in the next answer.
/// </summary>
/// <param name="store">Where rows are written.</param>
/// <param name="engine">The host's engine, kept current; null on the command line.</param>
/// <param name="zone">The company's time zone: dates without a time are days there. Default UTC.</param>
public sealed class ImportService(IGrowthStore store, IMetricEngine? engine = null, TimeZoneInfo? zone = null)
{
    /// <summary>
    /// Held while a batch goes into the store and then the engine, so whoever snapshots the
    /// engine (labelled with the store's generation) never sees one without the other.
    /// </summary>
    public Lock SyncRoot { get; } = new();

    /// <summary>
    /// Raised after a write reached the store and the engine, with the rows that were new or
    /// changed (only when there is an engine, i.e. in the host): the CES survey after a resolved
    /// ticket is scheduled from it.
    /// </summary>
    public event EventHandler<GrowthDataBatch>? Written;

    public ImportReport Import(ImportKind kind, TextReader reader, IProgress<ImportProgress>? progress = null) =>
        Import([new ImportFile(kind, reader)], progress)[0];

    /// <summary>
    /// Imports several files as one command: all are parsed and checked first, and if any row of any
    /// file is bad (including a row for a customer that is neither stored nor in these files) nothing
    /// is written. Then each file is written (customers first) in its own transaction.
    /// </summary>
    public IReadOnlyList<ImportReport> Import(IReadOnlyList<ImportFile> files, IProgress<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var parsed = files.Select(file => CsvImportParser.Parse(file.Kind, file.Reader, progress, zone)).ToList();
        var errors = parsed.Select(result => result.Errors).ToList();
        if (errors.All(list => list.Count == 0)) errors = UnknownCustomers.Find([.. files.Select(file => file.Kind)], parsed, store);
        if (errors.Any(list => list.Count > 0))
        {
            return [.. files.Select((file, i) => new ImportReport(file.Kind, parsed[i].Rows, 0, 0, 0, errors[i]) { Warnings = parsed[i].Warnings })];
        }
        var reports = new ImportReport[files.Count];
        foreach (var i in Enumerable.Range(0, files.Count).OrderBy(i => files[i].Kind == ImportKind.Customers ? 0 : 1))
        {
            reports[i] = Finish(files[i].Kind, parsed[i], progress);
        }
        return reports;
    }

    /// <summary>
    /// Imports a body as it arrives (an HTTP request, a file sent by the command line): the body is
    /// read a buffer at a time and parsed into rows, then, only if every row is good (including
    /// that every customer it refers to exists), written in one transaction like
    /// <see cref="Import(ImportKind, TextReader, IProgress{ImportProgress})"/>. The same rules, so
    /// the same file gives the same report whichever way it came.
    /// </summary>
    public async Task<ImportReport> ImportAsync(ImportKind kind, ImportFormat format, Stream body, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ImportParseResult parsed;
        if (format == ImportFormat.Csv)
        {
            using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
            parsed = await CsvImportParser.ParseAsync(kind, reader, progress, zone, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            parsed = await JsonImportParser.ParseAsync(kind, format, body, progress, zone, cancellationToken).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (parsed.Errors.Count == 0 && UnknownCustomers.Find([kind], [parsed], store)[0] is { Count: > 0 } unknown)
        {
            return new ImportReport(kind, parsed.Rows, 0, 0, 0, unknown) { Warnings = parsed.Warnings };
        }
        return Finish(kind, parsed, progress);
    }

    /// <summary>Writes a parsed file if every row was good, and reports it, whichever format it came in.</summary>
    private ImportReport Finish(ImportKind kind, ImportParseResult parsed, IProgress<ImportProgress>? progress)
    {
        if (parsed.Errors.Count > 0) return new ImportReport(kind, parsed.Rows, 0, 0, 0, parsed.Errors) { Warnings = parsed.Warnings };
        StoreWriteResult written;
        try
        {
            written = Write(parsed.Batch, progress);
        }
        catch (IdCollisionException collision)
        {
            // The store rolled the whole batch back; say which line it was.
            var line = parsed.LineOfId.GetValueOrDefault(collision.Id);
            return new ImportReport(kind, parsed.Rows, 0, 0, 0, [new ImportError(line, collision.Message)]) { Warnings = parsed.Warnings };
        }
        return new ImportReport(kind, parsed.Rows, written.Inserted, written.Updated, written.Unchanged, []) { Warnings = parsed.Warnings };
    }

    /// <summary>Writes an already validated batch (demo history, survey answers) and indexes it.</summary>
    public StoreWriteResult Write(GrowthDataBatch batch, IProgress<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var total = batch.Count;
        var rowsWritten = progress is null ? null : new RowProgress(rows => progress.Report(new ImportProgress("writing", rows, total)));
        GrowthDataBatch? changed;
        StoreWriteResult written;
        lock (SyncRoot)
        {
            var changes = engine is null ? null : new StoreChanges();
            written = store.Write(batch, rowsWritten, changes);
            progress?.Report(new ImportProgress("indexing", total, total));
            if (changes is not null) engine!.Apply(changes.Changed, changes.Replaced);
            changed = changes?.Changed;
        }
        if (changed is not null) Written?.Invoke(this, changed);
        return written;
    }

    /// <summary>Reports on the caller's thread; Progress&lt;T&gt; would post to the thread pool and arrive after the import ends.</summary>
    private sealed class RowProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
