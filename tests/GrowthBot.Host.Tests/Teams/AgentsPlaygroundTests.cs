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

    private static async Task SendAsync(HttpClient client, string chat, string user, string text)
    {
        using var response = await client.PostAsJsonAsync(new Uri($"/_conversation/v1/conversations/{chat}/messages", UriKind.Relative),
            new { from = new { id = user }, text, textFormat = "plain" });
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
