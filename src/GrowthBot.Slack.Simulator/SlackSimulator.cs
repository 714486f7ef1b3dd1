using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// A session of the local Slack simulator: the loopback Web API the bot calls, and a person who
/// types in #general or the DM, runs the slash command and presses buttons, each sent to the app
/// signed as Slack sends it. Bot posts appear on the <see cref="SimTranscript"/>'s writer as they
/// arrive. Nothing typed can crash it: a line it cannot carry out gets a reason and a suggestion.
/// </summary>
internal sealed class SlackSimulator : IAsyncDisposable
{
    private readonly SimOptions _options;
    private readonly SimWebApi _api;
    private readonly SimResponseUrls _responseUrls;
    private readonly SimTimestamps _timestamps;
    private readonly SimPayloads _payloads;
    private SimSigner? _signer;
    private int _seenAtLastSend;
    private int _waitedFor;

    private SlackSimulator(SimOptions options, SimWorkspace workspace, SimTranscript transcript, SimWebApi api, SimResponseUrls responseUrls, SimTimestamps timestamps)
    {
        _options = options;
        Workspace = workspace;
        Transcript = transcript;
        _api = api;
        _responseUrls = responseUrls;
        _timestamps = timestamps;
        _payloads = new SimPayloads(workspace, timestamps);
        Conversation = workspace.DirectMessage;
    }

    public SimWorkspace Workspace { get; }

    public SimTranscript Transcript { get; }

    /// <summary>Where what you type goes: your DM with the bot (at first) or #general.</summary>
    public SimChannel Conversation { get; private set; }

    /// <summary>The host's <c>Slack__ApiBaseUrl</c>.</summary>
    public string ApiBaseUrl => _api.ApiBaseUrl;

    /// <summary>Starts the Web API on 127.0.0.1 with a freshly generated workspace (token and signing secret) unless one is given.</summary>
    public static async Task<SlackSimulator> StartAsync(SimOptions options, TextWriter output, TimeProvider time, SimWorkspace? workspace = null, CancellationToken cancellationToken = default)
    {
        workspace ??= SimWorkspace.Generate();
        var transcript = new SimTranscript(workspace, output);
        var timestamps = new SimTimestamps(time);
        var responseUrls = new SimResponseUrls(time);
        var methods = new SimApiMethods(workspace, transcript, responseUrls, timestamps, options.FilesFolder);
        SimWebApi api;
        try
        {
            api = await SimWebApi.StartAsync(methods, options.ApiPort, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (options.ApiPort != 0)
        {
            // The usual port is taken (another simulator?): any free one works, only leftovers of an earlier session miss it.
            output.WriteLine($"(port {options.ApiPort} is taken; the simulated Slack listens on a free port instead)");
            api = await SimWebApi.StartAsync(methods, 0, cancellationToken).ConfigureAwait(false);
        }
        return new SlackSimulator(options, workspace, transcript, api, responseUrls, timestamps);
    }

    /// <summary>Points the simulator at the app: <paramref name="host"/> has the app's base address; its timeout becomes Slack's.</summary>
    public void Connect(HttpClient host, TimeProvider time)
    {
        host.Timeout = _options.DeliveryTimeout;
        _signer = new SimSigner(host, Workspace.SigningSecret, time);
    }

    /// <summary>The settings the app needs to talk to this simulator (Section:Key form).</summary>
    public IReadOnlyDictionary<string, string> HostSettings() => new Dictionary<string, string>
    {
        ["Slack:BotToken"] = Workspace.BotToken,
        ["Slack:SigningSecret"] = Workspace.SigningSecret,
        ["Slack:ApiBaseUrl"] = ApiBaseUrl,
        ["Slack:CommandName"] = _options.CommandName,
        // Socket Mode would bypass the signed HTTP requests the simulator sends.
        ["Slack:AppToken"] = string.Empty,
        ["Access:SlackHomeTeamIds"] = Workspace.TeamId,
    };

    /// <summary>Reads lines until <c>/quit</c> or the end of the input.</summary>
    public async Task RunAsync(TextReader input, CancellationToken cancellationToken)
    {
        Transcript.Say($"You are @{Workspace.You.Name} in the {Workspace.TeamName} workspace, in your DM with GrowthBot (ask it anything there). /help lists what you can do.");
        while (!cancellationToken.IsCancellationRequested)
        {
            // Console.In reads synchronously and ignores the token; reading on another thread lets Ctrl+C end the wait.
            var line = await Task.Run(input.ReadLine, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!await HandleAsync(line, cancellationToken).ConfigureAwait(false)) return;
            }
#pragma warning disable CA1031 // A person's session must outlive one line that failed in a way nobody foresaw; they are told and go on.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Transcript.Say($"(the simulator could not carry that out: {SimText.Printable(exception.Message)})");
            }
        }
    }

    /// <summary>Carries out one typed line; false once the session should end.</summary>
    public async Task<bool> HandleAsync(string? line, CancellationToken cancellationToken)
    {
        switch (SimInput.Parse(line, _options.CommandName))
        {
            case SimInput.Quit:
                return false;
            case SimInput.Nothing:
                break;
            case SimInput.Refused refused:
                Transcript.Say(refused.Message);
                break;
            case SimInput.Help:
                Transcript.Say(SimInput.HelpText(_options.CommandName));
                break;
            case SimInput.Say say:
                await SayAsync(say.Text, cancellationToken).ConfigureAwait(false);
                break;
            case SimInput.Switch change:
                Conversation = change.DirectMessage ? Workspace.DirectMessage : Workspace.General;
                Transcript.Say($"(now in {Workspace.Describe(Conversation.Id)})");
                if (change.Text is { } text) await SayAsync(text, cancellationToken).ConfigureAwait(false);
                break;
            case SimInput.SlashCommand command:
                await CommandAsync(command, cancellationToken).ConfigureAwait(false);
                break;
            case SimInput.Press press:
                await PressAsync(press, cancellationToken).ConfigureAwait(false);
                break;
            case SimInput.Type type:
                if (Transcript.LatestInput() is { } box) Transcript.Type(box.Message, box.BlockId, box.ActionId, type.Text);
                else Transcript.Say("No message has an input box to type into. GrowthBot shows one after a survey score, asking for the reason.");
                break;
            case SimInput.Home:
                await DeliverEventAsync(_payloads.HomeOpened(Workspace.You), cancellationToken).ConfigureAwait(false);
                break;
            case SimInput.Wait wait:
                await WaitAsync(wait.Containing, cancellationToken).ConfigureAwait(false);
                break;
            case SimInput.Fail fail:
                _api.FailNext(fail.Method, fail.Error);
                Transcript.Say($"(the next {fail.Method} call will fail with {fail.Error})");
                break;
        }
        return true;
    }

    /// <summary>
    /// Waits until the bot has said something since the last thing you sent that no earlier wait
    /// already took (or, with <paramref name="containing"/>, something since then that reads so);
    /// gives up after the wait limit, saying so.
    /// </summary>
    public async Task WaitAsync(string? containing, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.WaitLimit);
        try
        {
            var seen = containing is null ? Math.Max(_seenAtLastSend, _waitedFor) : _seenAtLastSend;
            _waitedFor = await Transcript.WaitForBotMessageAsync(seen, containing, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Transcript.Say(containing is null
                ? $"(GrowthBot said nothing within {_options.WaitLimit.TotalSeconds:0} s; its log may say why)"
                : $"(GrowthBot did not say \"{SimText.Printable(containing)}\" within {_options.WaitLimit.TotalSeconds:0} s)");
        }
    }

    private async Task SayAsync(string typed, CancellationToken cancellationToken)
    {
        var text = SimText.AsSent(typed, Workspace, withNames: false);
        var message = new SimMessage { Channel = Conversation.Id, Ts = _timestamps.Next(), UserId = Workspace.You.Id, Text = text };
        Transcript.Record(message);
        if (Conversation.IsIm)
        {
            await DeliverEventAsync(_payloads.Message(message, mention: false), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!text.Contains($"<@{Workspace.Bot.Id}>", StringComparison.Ordinal))
        {
            // The app subscribes to app_mention, not to every channel message (manifests/slack), so Slack sends it nothing.
            Transcript.Say("(In a channel GrowthBot only hears messages that mention it: start with @growthbot. Slack sent it nothing.)");
            return;
        }
        await DeliverEventAsync(_payloads.Message(message, mention: true), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivers an event; like Slack, sends it again (up to 3 times, with X-Slack-Retry-Num and
    /// X-Slack-Retry-Reason) when the app timed out or failed, though at once rather than after
    /// Slack's 1 and 5 minutes.
    /// </summary>
    private async Task DeliverEventAsync(JsonObject evt, CancellationToken cancellationToken)
    {
        var body = _payloads.EventCallback(evt).ToJsonString();
        SimDelivery delivery = await SendAsync("/slack/events", body, "application/json", cancellationToken).ConfigureAwait(false);
        for (var retry = 1; retry <= 3 && delivery is { Failure: not null } or { Status: >= 500 }; retry++)
        {
            var reason = delivery.Failure is null ? "http_error" : delivery.Status == 0 && delivery.Failure.StartsWith("operation_timeout", StringComparison.Ordinal) ? "http_timeout" : "connection_failed";
            Transcript.Say($"(Slack: delivering the event failed ({Describe(delivery)}); retry {retry} of 3)");
            var headers = new Dictionary<string, string> { ["X-Slack-Retry-Num"] = retry.ToString(System.Globalization.CultureInfo.InvariantCulture), ["X-Slack-Retry-Reason"] = reason };
            delivery = await SendAsync("/slack/events", body, "application/json", cancellationToken, headers, keepWaitMark: true).ConfigureAwait(false);
        }
        if (delivery is not { Status: 200, Failure: null })
        {
            Transcript.Say($"Slack could not deliver that event to GrowthBot: {Describe(delivery)}.");
        }
    }

    private async Task CommandAsync(SimInput.SlashCommand command, CancellationToken cancellationToken)
    {
        var responseId = _responseUrls.Issue(Conversation.Id, null, null);
        var text = SimText.AsSent(command.Text, Workspace, withNames: true);
        var form = _payloads.Command(command.Command, text, Conversation, Workspace.You, ResponseUrl(responseId));
        using var content = new FormUrlEncodedContent(form);
        var body = await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var delivery = await SendAsync("/slack/commands", body, "application/x-www-form-urlencoded", cancellationToken).ConfigureAwait(false);
        if (delivery is not { Status: 200, Failure: null })
        {
            // Slack's own words when a command's app fails.
            var error = delivery.Failure is not null ? "operation_timeout" : delivery.Status >= 500 ? "http_service_error" : "dispatch_failed";
            Transcript.Say($"{command.Command} failed with the error \"{error}\" ({Describe(delivery)})");
            return;
        }
        if (string.IsNullOrWhiteSpace(delivery.Body)) return; // an empty 200: Slack shows nothing, the answer comes through the response_url
        JsonObject? answer;
        try
        {
            answer = JsonNode.Parse(delivery.Body) as JsonObject;
        }
        catch (JsonException)
        {
            answer = null;
        }
        if (answer is null)
        {
            // Slack shows a plain-text body as the (ephemeral) answer.
            answer = new JsonObject { ["text"] = delivery.Body };
        }
        // The inline answer is the response_url's first use, so a later replace_original replaces it ("Working on it…").
        var (status, error2) = _api.Methods.Respond(responseId, answer, inline: true);
        if (error2 is not null) Transcript.Say($"Slack refused {command.Command}'s answer: {error2} (HTTP {status}).");
    }

    private async Task PressAsync(SimInput.Press press, CancellationToken cancellationToken)
    {
        SimButton? button;
        if (press.Number is { } number)
        {
            button = Transcript.Button(number);
            if (button is null)
            {
                Transcript.Say($"There is no button [{number}] to press: use a number shown in [brackets] next to a button (a button goes away when its message is replaced).");
                return;
            }
        }
        else
        {
            var labelled = Transcript.ButtonsLabelled(press.Label!);
            button = labelled.Count > 0 ? labelled[0] : null;
            if (button is null)
            {
                Transcript.Say($"No button is labelled \"{SimText.Printable(press.Label!)}\"; press one by the number shown in [brackets] next to it.");
                return;
            }
        }
        var channel = Workspace.Channel(button.Message.Channel) ?? Conversation;
        var responseId = _responseUrls.Issue(channel.Id, button.Message.ThreadTs, button.Message);
        var payload = _payloads.BlockActions(button, Workspace.You, channel, ResponseUrl(responseId));
        using var content = new FormUrlEncodedContent([new("payload", payload.ToJsonString())]);
        var body = await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Transcript.Say($"(you pressed [{button.Number}] {SimText.Printable(button.Label)})");
        var delivery = await SendAsync("/slack/interactivity", body, "application/x-www-form-urlencoded", cancellationToken).ConfigureAwait(false);
        if (delivery is not { Status: 200, Failure: null })
        {
            Transcript.Say($"GrowthBot did not accept the press: {Describe(delivery)}. In Slack the button shows a warning; press it again.");
        }
    }

    private async Task<SimDelivery> SendAsync(string path, string body, string mediaType, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? headers = null, bool keepWaitMark = false)
    {
        if (_signer is null) throw new InvalidOperationException("Connect the simulator to an app first.");
        if (!keepWaitMark) _seenAtLastSend = Transcript.BotMessageCount;
        return await _signer.PostAsync(path, body, mediaType, cancellationToken, headers).ConfigureAwait(false);
    }

    private string ResponseUrl(string id) => new Uri(_api.BaseAddress, "respond/" + id).ToString();

    private static string Describe(SimDelivery delivery) =>
        delivery.Failure ?? $"HTTP {delivery.Status}{(string.IsNullOrWhiteSpace(delivery.Body) ? string.Empty : ": " + SimText.Printable(delivery.Body.Length > 300 ? delivery.Body[..300] + "…" : delivery.Body))}";

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
