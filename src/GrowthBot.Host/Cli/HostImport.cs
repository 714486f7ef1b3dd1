using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GrowthBot.Core.Import;
using GrowthBot.Host.Api;

namespace GrowthBot.Host.Cli;

/// <summary>
/// Sends an import file to a running host's <c>POST /api/v1/import/{kind}</c>, streaming it with
/// upload progress, and prints the host's answer as the direct import would: the counts, or every
/// bad row with its line (nothing written). The host applies the same Core import.
/// </summary>
internal static class HostImport
{
    public static int Send(CliContext context, string hostUrl, string key, ImportKind kind, ImportFormat format, string file)
    {
        using var client = context.HttpClientFor(hostUrl);
        // A large file takes as long as it takes; the default 30 s would cut it off and (rightly) write nothing.
        client.Timeout = Timeout.InfiniteTimeSpan;
        var progress = new ConsoleProgress(context);
        using var stream = File.OpenRead(file);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/import/{ImportKinds.NameOf(kind)}")
        {
            Content = new ProgressContent(stream, sent => progress.Report(new ImportProgress("sending", sent, stream.Length, "bytes"))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ImportCommand.ContentTypeOf(format));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        HttpResponseMessage response;
        try
        {
            response = client.SendAsync(request).GetAwaiter().GetResult();
        }
        catch (HttpRequestException exception)
        {
            progress.Finish();
            context.Error.WriteLine($"No GrowthBot host answers at {hostUrl} ({exception.Message}). Nothing was written.");
            return ExitCodes.HostUnavailable;
        }
        progress.Finish();
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    var result = response.Content.ReadFromJsonAsync(ApiJson.Default.ImportResult).GetAwaiter().GetResult()!;
                    context.Output.WriteLine(ImportCommand.Imported(result.Rows, kind, file, $"the host at {hostUrl}", result.Inserted, result.Updated, result.Unchanged));
                    return ExitCodes.Ok;
                case HttpStatusCode.UnprocessableEntity:
                    var refused = response.Content.ReadFromJsonAsync(ApiJson.Default.ImportRefused).GetAwaiter().GetResult()!;
                    return ImportCommand.Refused(context, file, refused.Rows, refused.Errors.Select(error => new ImportError(error.Line, error.Reason, error.Unit)).ToList());
                default:
                    var error = ReadError(response);
                    context.Error.WriteLine($"The host at {hostUrl} refused the import ({(int)response.StatusCode}): {error}. Nothing was written.");
                    return response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.BadRequest
                        ? ExitCodes.BadData
                        : ExitCodes.HostUnavailable;
            }
        }
    }

    private static string ReadError(HttpResponseMessage response)
    {
        try
        {
            return response.Content.ReadFromJsonAsync(ApiJson.Default.ApiError).GetAwaiter().GetResult()?.Error ?? response.ReasonPhrase ?? "no reason given";
        }
        catch (System.Text.Json.JsonException)
        {
            return response.ReasonPhrase ?? "no reason given";
        }
    }

    /// <summary>Streams a file as the request body and reports the bytes sent.</summary>
    private sealed class ProgressContent(Stream source, Action<long> sent) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = new byte[81_920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                total += read;
                sent(total);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = source.Length;
            return true;
        }
    }
}
