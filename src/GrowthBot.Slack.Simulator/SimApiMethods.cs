using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// The Web API methods GrowthBot calls, answered as Slack documents them (field names, the
/// <c>ok</c>/<c>error</c> envelope, the error codes for a wrong channel, user, ts or arguments),
/// carried out on the simulated workspace: posts, updates and ephemeral messages land in the
/// <see cref="SimTranscript"/>, uploads are kept (and saved to a folder when one is given), a
/// published Home tab is shown.
/// </summary>
internal sealed class SimApiMethods(SimWorkspace workspace, SimTranscript transcript, SimResponseUrls responseUrls, SimTimestamps timestamps, string? filesFolder = null)
{
    /// <summary>Slack refuses messages longer than this (msg_too_long) and more blocks than 50 (invalid_blocks).</summary>
    private const int MaxTextLength = 40_000;
    private const int MaxBlocks = 50;
    private readonly ConcurrentDictionary<string, (string Filename, long Length, string? AltText, byte[]? Bytes)> _files = new(StringComparer.Ordinal);
    private int _fileCounter;
    private int _blockCounter;

    public SimWorkspace Workspace { get; } = workspace;

    public SimTranscript Transcript { get; } = transcript;

    /// <summary>The server's address, for upload URLs; set once it listens.</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");

    public static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    public JsonObject Call(string method, JsonObject arguments) => method switch
    {
        "auth.test" => new JsonObject
        {
            ["ok"] = true, ["url"] = $"https://{Workspace.TeamDomain}.slack.com/", ["team"] = Workspace.TeamName, ["user"] = Workspace.Bot.Name,
            ["team_id"] = Workspace.TeamId, ["user_id"] = Workspace.Bot.Id, ["bot_id"] = Workspace.BotId, ["is_enterprise_install"] = false,
        },
        "chat.postMessage" => PostMessage(arguments),
        "chat.postEphemeral" => PostEphemeral(arguments),
        "chat.update" => Update(arguments),
        "conversations.open" => Open(arguments),
        "conversations.info" => Info(arguments),
        "conversations.members" => Members(arguments),
        "conversations.history" or "conversations.replies" => History(arguments, method == "conversations.replies"),
        "users.info" => UserInfo(arguments),
        "views.publish" => Publish(arguments),
        "files.getUploadURLExternal" => UploadUrl(arguments),
        "files.completeUploadExternal" => CompleteUpload(arguments),
        // Socket Mode needs an app-level token (xapp-…); the simulator speaks HTTP only.
        "apps.connections.open" => Error("not_allowed_token_type"),
        _ => Error("unknown_method"),
    };

    private JsonObject PostMessage(JsonObject arguments)
    {
        var (channel, refusal) = Resolve(SimJson.Str(arguments, "channel"));
        if (channel is null) return Error(refusal!);
        var (text, blocks, invalid) = Content(arguments);
        if (invalid is not null) return Error(invalid);
        var threadTs = SimJson.Str(arguments, "thread_ts");
        if (threadTs is not null && Transcript.Find(channel.Id, threadTs) is null) return Error("thread_not_found");
        var message = new SimMessage
        {
            Channel = channel.Id, Ts = timestamps.Next(), ThreadTs = threadTs, UserId = Workspace.Bot.Id, BotId = Workspace.BotId,
            Text = text, Blocks = blocks, Metadata = arguments["metadata"]?.DeepClone(),
        };
        Transcript.Add(message);
        return new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = message.Ts, ["message"] = message.ToJson(withMetadata: false) };
    }

    private JsonObject PostEphemeral(JsonObject arguments)
    {
        var (channel, refusal) = Resolve(SimJson.Str(arguments, "channel"));
        if (channel is null) return Error(refusal!);
        var user = SimJson.Str(arguments, "user");
        if (user is null) return Error("user_not_found");
        if (!channel.Members.Contains(user)) return Error(Workspace.User(user) is null ? "user_not_found" : "user_not_in_channel");
        var (text, blocks, invalid) = Content(arguments);
        if (invalid is not null) return Error(invalid);
        var message = new SimMessage
        {
            Channel = channel.Id, Ts = timestamps.Next(), ThreadTs = SimJson.Str(arguments, "thread_ts"), UserId = Workspace.Bot.Id, BotId = Workspace.BotId,
            Ephemeral = true, Text = text, Blocks = blocks,
        };
        Transcript.Add(message);
        return new JsonObject { ["ok"] = true, ["message_ts"] = message.Ts };
    }

    private JsonObject Update(JsonObject arguments)
    {
        var (channel, refusal) = Resolve(SimJson.Str(arguments, "channel"));
        if (channel is null) return Error(refusal!);
        var ts = SimJson.Str(arguments, "ts");
        if (ts is null || Transcript.Find(channel.Id, ts) is not { } message) return Error("message_not_found");
        if (!message.FromBot || message.Ephemeral) return Error("cant_update_message");
        var (text, blocks, invalid) = Content(arguments);
        if (invalid is not null) return Error(invalid);
        Transcript.Replace(message, text, blocks, "edited");
        return new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = ts, ["text"] = text, ["message"] = message.ToJson(withMetadata: false) };
    }

    private JsonObject Open(JsonObject arguments)
    {
        var users = (SimJson.Str(arguments, "users") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (users.Length == 0) return Error("users_list_not_supplied");
        if (users.Length > 1) return Error("not_enough_users");
        if (Workspace.Channels.FirstOrDefault(channel => channel.IsIm && channel.ImUser == users[0]) is not { } dm) return Error("user_not_found");
        return new JsonObject { ["ok"] = true, ["no_op"] = true, ["already_open"] = true, ["channel"] = new JsonObject { ["id"] = dm.Id } };
    }

    private JsonObject Info(JsonObject arguments)
    {
        if (Workspace.Channel(SimJson.Str(arguments, "channel") ?? string.Empty) is not { } channel) return Error("channel_not_found");
        var created = 1_700_000_000;
        JsonObject info = channel.IsIm
            ? new JsonObject { ["id"] = channel.Id, ["created"] = created, ["is_im"] = true, ["is_org_shared"] = false, ["user"] = channel.ImUser, ["is_user_deleted"] = false, ["priority"] = 0 }
            : new JsonObject
            {
                ["id"] = channel.Id, ["name"] = channel.Name, ["is_channel"] = true, ["is_group"] = false, ["is_im"] = false, ["is_mpim"] = false, ["is_private"] = false,
                ["created"] = created, ["is_archived"] = false, ["is_general"] = channel.Name == "general", ["name_normalized"] = channel.Name,
                ["is_shared"] = false, ["is_ext_shared"] = false, ["is_org_shared"] = false, ["is_pending_ext_shared"] = false, ["pending_shared"] = new JsonArray(),
                ["is_member"] = channel.Members.Contains(Workspace.Bot.Id), ["creator"] = Workspace.You.Id,
            };
        return new JsonObject { ["ok"] = true, ["channel"] = info };
    }

    private JsonObject Members(JsonObject arguments)
    {
        if (Workspace.Channel(SimJson.Str(arguments, "channel") ?? string.Empty) is not { } channel) return Error("channel_not_found");
        return new JsonObject { ["ok"] = true, ["members"] = new JsonArray([.. channel.Members.Select(member => JsonValue.Create(member))]), ["response_metadata"] = new JsonObject { ["next_cursor"] = "" } };
    }

    private JsonObject History(JsonObject arguments, bool replies)
    {
        if (Workspace.Channel(SimJson.Str(arguments, "channel") ?? string.Empty) is not { } channel) return Error("channel_not_found");
        var thread = replies ? SimJson.Str(arguments, "ts") : null;
        if (replies && thread is null) return Error("invalid_arguments");
        var limit = int.TryParse(SimJson.Str(arguments, "limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, 999) : 100;
        var withMetadata = SimJson.Str(arguments, "include_all_metadata") is "true" or "1";
        var messages = Transcript.History(channel.Id, thread).Take(limit).Select(message => (JsonNode)message.ToJson(withMetadata)).ToArray();
        if (replies) Array.Reverse(messages); // replies come oldest first, the parent first
        return new JsonObject { ["ok"] = true, ["messages"] = new JsonArray(messages), ["has_more"] = false, ["response_metadata"] = new JsonObject { ["next_cursor"] = "" } };
    }

    private JsonObject UserInfo(JsonObject arguments)
    {
        if (Workspace.User(SimJson.Str(arguments, "user") ?? string.Empty) is not { } user) return Error("user_not_found");
        return new JsonObject
        {
            ["ok"] = true,
            ["user"] = new JsonObject
            {
                ["id"] = user.Id, ["team_id"] = user.TeamId, ["name"] = user.Name, ["deleted"] = false, ["real_name"] = user.RealName, ["tz"] = "Europe/London",
                ["is_admin"] = false, ["is_owner"] = false, ["is_primary_owner"] = false, ["is_restricted"] = false, ["is_ultra_restricted"] = false,
                ["is_bot"] = user.IsBot, ["is_app_user"] = false, ["updated"] = 1_700_000_000,
                ["profile"] = new JsonObject { ["real_name"] = user.RealName, ["display_name"] = user.Name, ["team"] = user.TeamId },
            },
        };
    }

    private JsonObject Publish(JsonObject arguments)
    {
        var user = SimJson.Str(arguments, "user_id");
        if (user is null || Workspace.User(user) is null) return Error("user_not_found");
        var view = arguments["view"] is JsonValue raw && raw.TryGetValue<string>(out var text) ? Parse(text) : arguments["view"] as JsonObject;
        if (view is null || SimJson.Str(view, "type") != "home") return Error("invalid_arguments");
        var blocks = view["blocks"] as JsonArray ?? [];
        if (!ValidBlocks(blocks)) return Error("invalid_blocks");
        var home = new SimMessage { Channel = Workspace.DirectMessage.Id, Ts = timestamps.Next(), UserId = Workspace.Bot.Id, BotId = Workspace.BotId, Blocks = WithBlockIds(blocks), Ephemeral = true };
        Transcript.Add(home, "its Home tab, which you opened");
        return new JsonObject { ["ok"] = true, ["view"] = new JsonObject { ["id"] = "V0SIMHOME1", ["team_id"] = Workspace.TeamId, ["type"] = "home", ["blocks"] = blocks.DeepClone() } };
    }

    private JsonObject UploadUrl(JsonObject arguments)
    {
        var filename = SimJson.Str(arguments, "filename");
        if (string.IsNullOrWhiteSpace(filename) || !long.TryParse(SimJson.Str(arguments, "length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
        {
            return Error("invalid_arguments");
        }
        var fileId = $"F0SIM{Interlocked.Increment(ref _fileCounter):D5}";
        _files[fileId] = (filename, length, SimJson.Str(arguments, "alt_txt"), null);
        return new JsonObject { ["ok"] = true, ["upload_url"] = new Uri(BaseAddress, $"upload/{fileId}").ToString(), ["file_id"] = fileId };
    }

    /// <summary>Keeps the bytes posted to an upload URL; false when no such upload was asked for.</summary>
    public bool Upload(string fileId, byte[] bytes)
    {
        if (!_files.TryGetValue(fileId, out var file)) return false;
        _files[fileId] = file with { Bytes = bytes };
        return true;
    }

    private JsonObject CompleteUpload(JsonObject arguments)
    {
        var files = arguments["files"] is JsonValue raw && raw.TryGetValue<string>(out var text) ? Parse(text, array: true) as JsonArray : arguments["files"] as JsonArray;
        if (files is null || files.Count == 0) return Error("invalid_arguments");
        var channelId = SimJson.Str(arguments, "channel_id");
        var channel = channelId is null ? null : Workspace.Channel(channelId);
        if (channelId is not null && channel is null) return Error("channel_not_found");
        var completed = new JsonArray();
        foreach (var file in files)
        {
            var id = SimJson.Str(file, "id") ?? string.Empty;
            if (!_files.TryGetValue(id, out var upload) || upload.Bytes is null) return Error("file_not_found");
            if (upload.Bytes.LongLength != upload.Length) return Error("file_upload_size_mismatch");
            var title = SimJson.Str(file, "title") ?? upload.Filename;
            if (channel is not null)
            {
                var saved = Save(id, upload.Filename, upload.Bytes);
                var line = $"📎 {title} — {upload.Filename}, {upload.Bytes.Length:N0} bytes{(saved is null ? string.Empty : $", saved as {saved}")}";
                var alt = upload.AltText is null ? string.Empty : $"\nalt text: {upload.AltText}";
                Transcript.Add(new SimMessage
                {
                    Channel = channel.Id, Ts = timestamps.Next(), ThreadTs = SimJson.Str(arguments, "thread_ts"), UserId = Workspace.Bot.Id, BotId = Workspace.BotId,
                    Text = SimText.Escape(line + alt),
                }, "a file");
            }
            completed.Add(new JsonObject { ["id"] = id, ["title"] = title });
        }
        return new JsonObject { ["ok"] = true, ["files"] = completed };
    }

    /// <summary>A post to a response_url: replaces, deletes or adds to the conversation; (status, error) as Slack answers it.</summary>
    public (int Status, string? Error) Respond(string id, JsonObject? body, bool inline = false)
    {
        if (body is null) return (400, "invalid_payload");
        var (target, error) = responseUrls.Use(id, counts: !inline);
        if (target is null) return (404, error);
        var (text, blocks, invalid) = Content(body);
        if (invalid is not null) return (400, invalid);
        if (SimJson.Flag(body, "delete_original"))
        {
            if (target.Original is { } deleted) Transcript.Delete(deleted);
            return (200, null);
        }
        if (SimJson.Flag(body, "replace_original") && target.Original is { } original)
        {
            Transcript.Replace(original, text, blocks, "replaced");
            return (200, null);
        }
        var message = new SimMessage
        {
            Channel = target.Channel, Ts = timestamps.Next(), ThreadTs = SimJson.Str(body, "thread_ts") ?? target.ThreadTs, UserId = Workspace.Bot.Id, BotId = Workspace.BotId,
            Ephemeral = SimJson.Str(body, "response_type") != "in_channel", Text = text, Blocks = blocks,
        };
        Transcript.Add(message);
        target.Original = message;
        return (200, null);
    }

    /// <summary>A message's text and blocks, or the error Slack gives for them.</summary>
    private (string Text, JsonArray Blocks, string? Error) Content(JsonObject arguments)
    {
        var text = SimJson.Str(arguments, "text") ?? string.Empty;
        var blocks = arguments["blocks"] switch
        {
            JsonArray array => array,
            JsonValue raw when raw.TryGetValue<string>(out var json) => Parse(json, array: true) as JsonArray,
            null => [],
            _ => null,
        };
        if (blocks is null || !ValidBlocks(blocks)) return (text, [], "invalid_blocks");
        if (text.Length == 0 && blocks.Count == 0) return (text, [], "no_text");
        if (text.Length > MaxTextLength) return (text, [], "msg_too_long");
        return (text, WithBlockIds(blocks), null);
    }

    private static bool ValidBlocks(JsonArray blocks) => blocks.Count <= MaxBlocks && blocks.All(block => block is JsonObject && SimJson.Str(block, "type") is not null);

    /// <summary>A copy of the blocks where each has a block_id: Slack makes one up when the app gives none, and sends it back with presses.</summary>
    private JsonArray WithBlockIds(JsonArray blocks)
    {
        var copy = (JsonArray)blocks.DeepClone();
        foreach (var block in copy.OfType<JsonObject>())
        {
            if (SimJson.Str(block, "block_id") is null) block["block_id"] = $"sim{Interlocked.Increment(ref _blockCounter):X4}";
        }
        return copy;
    }

    /// <summary>A conversation the bot may post to: a channel id, or a person's user id (their DM with the app).</summary>
    private (SimChannel? Channel, string? Error) Resolve(string? id)
    {
        if (string.IsNullOrEmpty(id)) return (null, "channel_not_found");
        if (Workspace.Channel(id) is { } channel) return channel.Members.Contains(Workspace.Bot.Id) ? (channel, null) : (null, "not_in_channel");
        var dm = Workspace.Channels.FirstOrDefault(candidate => candidate.IsIm && candidate.ImUser == id);
        return dm is null ? (null, "channel_not_found") : (dm, null);
    }

    private string? Save(string fileId, string filename, byte[] bytes)
    {
        if (filesFolder is null) return null;
        Directory.CreateDirectory(filesFolder);
        // Only the file name's own characters: the bot chooses it, and it must not leave the folder.
        var safe = string.Concat(Path.GetFileName(filename).Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        var path = Path.Combine(filesFolder, $"{fileId}-{safe}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static JsonNode? Parse(string json, bool array = false)
    {
        try
        {
            var node = JsonNode.Parse(json);
            return array ? node as JsonArray : node as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
