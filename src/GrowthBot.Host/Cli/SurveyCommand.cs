using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GrowthBot.Core.Data;
using GrowthBot.Host.Api;
using GrowthBot.Host.Hosting;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot survey send KIND --to FILE</c> and <c>growthbot survey status</c>. The running host
/// owns the store and the chat credentials, so these go through its admin survey API
/// (<c>--host</c>, else <c>Cli:HostUrl</c>, else the store's host file, else http://localhost:5080) with
/// the admin credential: <c>Cli__ApiKey</c> if set, else the host's own key from the store's
/// owner-only host file (<c>--db</c> / <c>Storage__Path</c>), sent only to this machine. Send hands the host the
/// recipients, which accepts the campaign at once (202 and a run id) and links and sends in the
/// background; send then follows the run, showing progress, until every invitation went out.
/// </summary>
internal static class SurveyCommand
{
    public const string Usage =
        "growthbot survey send <nps|ces|csat> --to recipients.csv [--topic TEXT] [--platform slack|teams] [--no-wait] [--db PATH] [--host URL]\n" +
        "growthbot survey status [--db PATH] [--host URL]";

    public const string DefaultHostUrl = "http://localhost:5080";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "to", "topic", "platform", "host", "db" }, new HashSet<string> { "no-wait" });
        var verb = arguments.Positionals.FirstOrDefault()?.ToLowerInvariant();
        var hostFile = HostFile.Read(context.StorageFor(arguments).Path);
        var hostUrl = arguments.Option("host") ?? context.Configuration["Cli:HostUrl"] ?? hostFile?.Url ?? DefaultHostUrl;
        using var client = context.HttpClientFor(hostUrl);
        if (AdminKey(context, hostFile, client.BaseAddress!) is { } key) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            return verb switch
            {
                "send" => Send(context, client, arguments),
                "status" when arguments.Positionals.Count == 1 => Status(context, client),
                _ => throw new UsageException($"Usage:\n{Usage}"),
            };
        }
        catch (HttpRequestException exception) when (exception.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            context.Error.WriteLine(NotAllowed(hostUrl, exception.Message));
            return ExitCodes.HostUnavailable;
        }
        catch (HttpRequestException exception)
        {
            context.Error.WriteLine($"No GrowthBot host answers at {hostUrl} ({exception.Message}). Start it first (`dotnet run --project src/GrowthBot.Host`, " +
                                    "or `growthbot` with no verb), or point --host or Cli__HostUrl at the running host.");
            return ExitCodes.HostUnavailable;
        }
    }

    /// <summary>
    /// The admin credential to send: <c>Cli__ApiKey</c>, else the host's own key from its host file,
    /// which is only ever sent to this machine (the host accepts it from nowhere else anyway).
    /// </summary>
    private static string? AdminKey(CliContext context, HostFileContent? hostFile, Uri target)
    {
        if (context.Configuration["Cli:ApiKey"] is { Length: > 0 } configured) return configured;
        if (hostFile is null) return null;
        var loopback = target.IsLoopback || (IPAddress.TryParse(target.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return loopback ? hostFile.Key : null;
    }

    private static string NotAllowed(string hostUrl, string answer) =>
        $"The host at {hostUrl} refused the survey API without an admin credential ({answer}). On the host's machine, run this as the " +
        "user that runs the host with the same store (--db or Storage__Path), so the key in its host file is used; elsewhere, set Cli__ApiKey to an admin API key " +
        "(growthbot apikey create NAME --scopes admin).";

    private static int Send(CliContext context, HttpClient client, CommandArguments arguments)
    {
        if (arguments.Positionals.Count != 2 || !Enum.TryParse<SurveyKind>(arguments.Positionals[1], ignoreCase: true, out var kind) || int.TryParse(arguments.Positionals[1], out _))
        {
            throw new UsageException($"Which survey? Usage:\n{Usage}");
        }
        var file = arguments.Option("to") ?? throw new UsageException($"--to recipients.csv is required ({RecipientsFile.Header}). Usage:\n{Usage}");
        if (!File.Exists(file)) throw new UsageException($"File not found: {file}");
        List<RecipientLine> lines;
        List<string> problems;
        using (var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true))
        {
            (lines, problems) = RecipientsFile.Read(reader);
        }
        if (problems.Count > 0)
        {
            context.Error.WriteLine($"{file} was not used: {problems.Count} problem(s). Nobody was asked.");
            foreach (var problem in problems) context.Error.WriteLine($"  {problem}");
            return ExitCodes.BadData;
        }
        if (arguments.Option("platform") is { } platform)
        {
            if (!SurveyEndpoints.TryPlatform(platform, out _)) throw new UsageException($"--platform '{platform}': use slack or teams.");
            lines = lines.Where(line => string.Equals(line.Platform, platform.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            if (lines.Count == 0)
            {
                context.Error.WriteLine($"{file} lists nobody on {platform}. Nobody was asked.");
                return ExitCodes.BadData;
            }
        }

        var request = new CampaignRequest(kind.ToString().ToLowerInvariant(), arguments.Option("topic"), $"command line ({Environment.UserName})", lines);
        // The command line has no synchronisation context; blocking on the async call is safe here.
        using var post = new HttpRequestMessage(HttpMethod.Post, "internal/surveys/campaigns") { Content = JsonContent.Create(request, SurveyJson.Default.CampaignRequest) };
        using var response = client.SendAsync(post).GetAwaiter().GetResult();
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            context.Error.WriteLine(NotAllowed(client.BaseAddress!.ToString(), $"{(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}"));
            return ExitCodes.HostUnavailable;
        }
        if (!response.IsSuccessStatusCode) return Refused(context, response);
        var started = response.Content.ReadFromJsonAsync(SurveyJson.Default.CampaignStarted).GetAwaiter().GetResult()!;
        var name = kind.ToString().ToUpperInvariant();
        context.Output.WriteLine($"Started {name} run {started.RunId}: {started.Accepted:N0} recipient(s) accepted; the host links them and sends in the background.");
        if (arguments.Switch("no-wait"))
        {
            context.Output.WriteLine($"Follow it with `growthbot survey status`.");
            return ExitCodes.Ok;
        }
        return Follow(context, client, started.RunId, name);
    }

    /// <summary>
    /// Polls the run until every recipient is prepared and every invitation went out, showing progress,
    /// then prints the final counts and the reason for every recipient who could not be asked.
    /// </summary>
    private static int Follow(CliContext context, HttpClient client, string runId, string name)
    {
        var progress = new ConsoleProgress(context);
        while (true)
        {
            var status = Get(client, $"internal/surveys/campaigns/{Uri.EscapeDataString(runId)}", SurveyJson.Default.CampaignStatus);
            var done = status.Sent + status.Failed + status.Skipped + status.Unknown.Count;
            var total = Math.Max(done, status.Requested);
            progress.Report(new Core.Import.ImportProgress(status.Preparing > 0 ? "preparing and sending" : "sending", done, total, "recipients"));
            if (status.DoneSending)
            {
                progress.Finish();
                context.Output.WriteLine(Line(status));
                if (status.Unknown.Count > 0) context.Error.WriteLine($"  not asked (not linked to a customer): {string.Join(", ", status.Unknown)}");
                foreach (var failure in status.Failures ?? []) context.Error.WriteLine($"  not asked: {failure}");
                if (status.Sent > 0) return ExitCodes.Ok;
                context.Error.WriteLine(status.Failed > 0 || status.Unknown.Count > 0
                    ? $"Nobody could be asked the {name} survey; the reasons are above."
                    : $"Nobody was asked the {name} survey: every recipient was asked it within its fatigue window.");
                return ExitCodes.NobodyAsked;
            }
            Task.Delay(context.PollInterval, context.Time).GetAwaiter().GetResult();
        }
    }

    private static int Status(CliContext context, HttpClient client)
    {
        var runs = Get(client, "internal/surveys/campaigns", SurveyJson.Default.ListCampaignStatus);
        if (runs.Count == 0) context.Output.WriteLine("No surveys have been sent yet.");
        foreach (var status in runs) context.Output.WriteLine(Line(status));
        return ExitCodes.Ok;
    }

    internal static string Line(CampaignStatus status)
    {
        var rate = status.Rate is { } value ? (value * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"{status.Kind.ToUpperInvariant()} {status.RunId}{(status.Topic is null ? "" : $" about {status.Topic}")} ({status.StartedAt:yyyy-MM-dd HH:mm} UTC, {status.StartedBy}): " +
            $"sent {status.Sent}, answered {status.Answered} ({rate}), commented {status.Commented}, expired {status.Expired}, " +
            $"failed {status.Failed}, skipped {status.Skipped}, pending {status.Pending}{(status.Preparing > 0 ? $", preparing {status.Preparing}" : "")}");
    }

    private static T Get<T>(HttpClient client, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = client.SendAsync(get).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the host answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}", null, response.StatusCode);
        }
        return response.Content.ReadFromJsonAsync(type).GetAwaiter().GetResult()!;
    }

    private static int Refused(CliContext context, HttpResponseMessage response)
    {
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        CampaignRefused? refused = null;
        try
        {
            refused = System.Text.Json.JsonSerializer.Deserialize(body, SurveyJson.Default.CampaignRefused);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a refusal with problems (an older host, a proxy's page): print the body as it is.
        }
        if (refused is { Problems.Count: > 0 })
        {
            context.Error.WriteLine($"The host refused the campaign: {refused.Error}.");
            foreach (var problem in refused.Problems) context.Error.WriteLine($"  {problem}");
            return ExitCodes.BadData;
        }
        context.Error.WriteLine($"The host refused the campaign ({(int)response.StatusCode}): {body}");
        return (int)response.StatusCode == 400 ? ExitCodes.BadData : ExitCodes.HostUnavailable;
    }
}
