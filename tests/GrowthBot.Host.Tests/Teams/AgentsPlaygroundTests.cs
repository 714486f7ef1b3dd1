using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GrowthBot.Host.Tests.Hosting;
using GrowthBot.Slack.Tests.Support;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// The bot against real Microsoft software: the host as a real process in development mode on
/// 127.0.0.1, driven by the Microsoft 365 Agents Playground (npm <c>@microsoft/m365agentsplayground</c>,
/// channel msteams) acting as Teams. The playground sends the bot real Teams activities and logs
/// what the bot answers through its connector.
/// </summary>
public sealed partial class AgentsPlaygroundTests : IDisposable
{
    private const string PlaygroundTenant = "00000000-0000-0000-0000-0000000000001";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Playground_PersonalChat_HelpAndAQuestion_AreAnsweredByTheBot()
    {
        NodeTools.EnsureInstalled();
        using var host = HostProcess.Start(_store.DbPath, "Development", "--urls", "http://127.0.0.1:0", $"--Access:TeamsHomeTenantIds:0={PlaygroundTenant}", "--Teams:AllowUnauthenticatedLoopback=true");
        Assert.True(host.WaitForOutput("Application started", Limit), host.Output);
        Assert.Contains("Teams authentication is OFF", host.Output, StringComparison.Ordinal);
        var botUrl = ListeningAddress().Match(host.Output).Groups["address"].Value + "/api/messages";

        var logFile = Path.Combine(_store.Folder, "playground.log");
        using var playground = Playground.Start(botUrl, FreePort(), logFile);
        Assert.True(playground.WaitForOutput("Listening", Limit), playground.Output);

        using var client = new HttpClient { BaseAddress = playground.BaseAddress };
        var config = JsonDocument.Parse(await client.GetStringAsync(new Uri("/_internal/v1/config", UriKind.Relative))).RootElement.GetProperty("config");
        var user = config.GetProperty("currentUser").GetProperty("id").GetString()!;
        var chat = config.GetProperty("personalChat").GetProperty("id").GetString()!;

        await SendAsync(client, chat, user, "help");
        Assert.True(playground.WaitForLog(log => BotReplies(log).Any(reply => reply.Contains("What you can ask me", StringComparison.Ordinal)), Limit),
            $"No help reply from the bot.\nPlayground log:\n{playground.Log}\nHost:\n{host.Output}");

        await SendAsync(client, chat, user, "what's our churn this month?");
        Assert.True(playground.WaitForLog(log => BotReplies(log).Any(reply => reply.Contains("churn", StringComparison.OrdinalIgnoreCase) && PercentValue().IsMatch(reply)), Limit),
            $"No churn answer from the bot.\nPlayground log:\n{playground.Log}\nHost:\n{host.Output}");
    }

    [Fact]
    public async Task Playground_GroupChat_MentionBasedSurveyCommand_InvitesTheMentionedPerson_WhoAnswers()
    {
        NodeTools.EnsureInstalled();
        using var host = HostProcess.Start(_store.DbPath, "Development", "--urls", "http://127.0.0.1:0", $"--Access:TeamsHomeTenantIds:0={PlaygroundTenant}", "--Teams:AllowUnauthenticatedLoopback=true");
        Assert.True(host.WaitForOutput("Application started", Limit), host.Output);
        var botUrl = ListeningAddress().Match(host.Output).Groups["address"].Value + "/api/messages";

        var logFile = Path.Combine(_store.Folder, "playground.log");
        using var playground = Playground.Start(botUrl, FreePort(), logFile);
        Assert.True(playground.WaitForOutput("Listening", Limit), playground.Output);

        using var client = new HttpClient { BaseAddress = playground.BaseAddress };
        var config = JsonDocument.Parse(await client.GetStringAsync(new Uri("/_internal/v1/config", UriKind.Relative))).RootElement.GetProperty("config");
        var user = config.GetProperty("currentUser").GetProperty("id").GetString()!;
        var bot = config.GetProperty("bot");
        var group = config.GetProperty("groupChats")[0];
        var chat = group.GetProperty("id").GetString()!;
        var personId = group.GetProperty("members")[0].GetString()!;
        var person = config.GetProperty("users").EnumerateArray().Single(candidate => candidate.GetProperty("id").GetString() == personId);
        var personName = person.GetProperty("name").GetString()!;
        var personEntraId = person.GetProperty("aadObjectId").GetString()!;
        // The playground builds each mention entity as Teams documents it: {type: "mention", mentioned: {id, name}, text}, no object id.
        object[] Mentions() =>
        [
            new { mentioned = new { id = bot.GetProperty("id").GetString() }, text = $"<at>{bot.GetProperty("name").GetString()}</at>" },
            new { mentioned = new { id = personId }, text = $"<at>{personName}</at>" },
        ];

        await SendAsync(client, chat, user, $"<at>{bot.GetProperty("name").GetString()}</at> survey link <at>{personName}</at> C-42", Mentions());
        Assert.True(playground.WaitForLog(log => BotReplies(log).Any(reply => reply.Contains($"Linked {personEntraId} to customer C-42", StringComparison.Ordinal)), Limit),
            $"The link was not made for {personName}'s Entra object id.\nPlayground log:\n{playground.Log}\nHost:\n{host.Output}");

        await SendAsync(client, chat, user, $"<at>{bot.GetProperty("name").GetString()}</at> survey nps <at>{personName}</at>", Mentions());
        Assert.True(playground.WaitForLog(log => BotReplies(log).Any(reply => reply.Contains("Sending the NPS survey to 1 person", StringComparison.Ordinal)), Limit),
            $"No answer to the survey command.\nPlayground log:\n{playground.Log}\nHost:\n{host.Output}");
        // The invitation reaches the person's own 1:1 chat (the playground accepts it: 201 with the card's activity id).
        JsonElement invitation = default;
        Assert.True(playground.WaitForLog(log => (invitation = LogEntries(log).FirstOrDefault(entry =>
                entry.TryGetProperty("request", out var request) && request.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("summary", out var summary) && summary.GetString()!.Contains("How likely are you to recommend", StringComparison.Ordinal)
                && entry.GetProperty("response").GetProperty("statusCode").GetInt32() == 201)).ValueKind == JsonValueKind.Object, Limit),
            $"No survey invitation was delivered.\nPlayground log:\n{playground.Log}\nHost:\n{host.Output}");
        var personalChat = invitation.GetProperty("conversationId").GetString()!;
        var cardId = invitation.GetProperty("response").GetProperty("body").GetProperty("id").GetString()!;
        var nine = invitation.GetProperty("request").GetProperty("body").GetProperty("attachments")[0].GetProperty("content").GetProperty("body")
            .EnumerateArray().Where(element => element.GetProperty("type").GetString() == "ActionSet")
            .SelectMany(set => set.GetProperty("actions").EnumerateArray())
            .Single(action => action.GetProperty("title").GetString() == "9");

        // The person answers: the playground sends the bot the adaptiveCard/action invoke as Teams would, and returns the bot's answer.
        using var press = await client.PostAsJsonAsync(new Uri("/_conversation/v1/invoke", UriKind.Relative), new
        {
            name = "adaptiveCard/action",
            value = new { action = new { type = "Action.Execute", verb = nine.GetProperty("verb").GetString(), data = nine.GetProperty("data") } },
            from = new { id = personId },
            conversation = new { id = personalChat },
            replyToId = cardId,
        });
        var answer = await press.Content.ReadAsStringAsync();
        Assert.True(press.IsSuccessStatusCode, answer);
        Assert.Contains("What's the main reason for your score?", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("sent to someone else", answer, StringComparison.Ordinal);
    }

    /// <summary>The playground's log entries (one JSON object a line, after its prefix).</summary>
    private static IEnumerable<JsonElement> LogEntries(string log)
    {
        foreach (var line in log.Split('\n'))
        {
            var start = line.IndexOf("{\"logAction\"", StringComparison.Ordinal);
            if (start < 0) continue;
            JsonElement entry;
            try
            {
                entry = JsonDocument.Parse(line[start..]).RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }
            if (entry.TryGetProperty("log", out var item) && item.ValueKind == JsonValueKind.Object) yield return item;
        }
    }

    private static async Task SendAsync(HttpClient client, string chat, string user, string text, object[]? mentions = null)
    {
        using var response = await client.PostAsJsonAsync(new Uri($"/_conversation/v1/conversations/{chat}/messages", UriKind.Relative),
            new { from = new { id = user }, text, textFormat = "plain", mentions = mentions ?? [] });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The activities the bot sent through the playground's connector, as the playground logged them.</summary>
    private static IEnumerable<string> BotReplies(string log) =>
        log.Split('\n').Where(line => line.Contains("\"from\":\"User Application\"", StringComparison.Ordinal) && line.Contains("\"activityName\":\"message\"", StringComparison.Ordinal));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAddress();

    [GeneratedRegex(@"\d+(\.\d+)?\s*%")]
    private static partial Regex PercentValue();

    /// <summary>The playground as a child process (headless: no browser), with its log file.</summary>
    private sealed class Playground : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly object _gate = new();
        private readonly string _logFile;

        private Playground(Process process, int port, string logFile)
        {
            _process = process;
            _logFile = logFile;
            BaseAddress = new Uri($"http://127.0.0.1:{port}");
            process.OutputDataReceived += (_, line) => Append(line.Data);
            process.ErrorDataReceived += (_, line) => Append(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Uri BaseAddress { get; }

        public string Output
        {
            get
            {
                lock (_gate) return _output.ToString();
            }
        }

        public string Log => File.Exists(_logFile) ? ReadShared(_logFile) : string.Empty;

        public static Playground Start(string botUrl, int port, string logFile)
        {
            var start = new ProcessStartInfo(Path.Combine(NodeTools.E2eFolder, "node_modules", ".bin", "agentsplayground"))
            {
                WorkingDirectory = NodeTools.E2eFolder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "start", "-e", botUrl, "-c", "msteams", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dt" })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
            start.Environment["M365_AGENTS_PLAYGROUND_LOGFILE"] = logFile;
            return new Playground(Process.Start(start) ?? throw new InvalidOperationException("agentsplayground did not start"), port, logFile);
        }

        /// <summary>Waits until the playground's own output contains <paramref name="text"/>.</summary>
        public bool WaitForOutput(string text, TimeSpan limit)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < limit)
            {
                if (Output.Contains(text, StringComparison.Ordinal)) return true;
                if (_process.HasExited) return false;
                lock (_gate) Monitor.Wait(_gate, TimeSpan.FromMilliseconds(200));
            }
            return false;
        }

        /// <summary>Waits until the log file satisfies <paramref name="condition"/> (checked whenever the playground prints, or every 200 ms).</summary>
        public bool WaitForLog(Func<string, bool> condition, TimeSpan limit)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < limit)
            {
                if (condition(Log)) return true;
                if (_process.HasExited) return condition(Log);
                lock (_gate) Monitor.Wait(_gate, TimeSpan.FromMilliseconds(200));
            }
            return false;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }

        private static string ReadShared(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_gate)
            {
                _output.AppendLine(line);
                Monitor.PulseAll(_gate);
            }
        }
    }
}
