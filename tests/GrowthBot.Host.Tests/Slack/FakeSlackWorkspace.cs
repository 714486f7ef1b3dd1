using System.Collections.Concurrent;
using System.Text.Json;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>The messages one workspace holds, which every fake Slack serving that workspace reads and writes.</summary>
internal sealed class FakeSlackWorkspace
{
    public ConcurrentDictionary<string, ConcurrentQueue<JsonElement>> Messages { get; } = new();

    /// <summary>The counter behind each stored message's ts, so ts are unique in the workspace.</summary>
    public int LastMessage;
}
