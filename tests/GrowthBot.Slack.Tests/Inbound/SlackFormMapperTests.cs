using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Inbound;

namespace GrowthBot.Slack.Tests.Inbound;

public sealed class SlackFormMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Action_WithTypedText_CarriesItInInputsByBlockId()
    {
        var payload = Fixtures.Json("block_actions_comment.json");

        var message = SlackFormMapper.Action(payload, Now)!;
        var action = message.Press!;

        Assert.Equal("survey.comment", action.ActionId);
        Assert.Equal("run|inv|-1|mac", action.Value);
        Assert.Equal(new Dictionary<string, string> { ["comment"] = "The onboarding call was great" }, action.Inputs);
        Assert.Equal("U0CUSTOMER", action.From.UserId);
        Assert.Equal(ChatPlatform.Slack, action.Platform);
        Assert.Equal("https://hooks.slack.com/actions/T0HOME/1/abc", message.ReplyAddress);
        Assert.Equal("T0HOME:action:U0CUSTOMER:1732616000.123456", message.DeliveryId);
    }

    [Fact]
    public void Action_WithoutState_HasNoInputs()
    {
        var json = Fixtures.Text("block_actions_comment.json");
        using var document = JsonDocument.Parse(json);
        var withoutState = JsonSerializer.Serialize(document.RootElement.EnumerateObject().Where(property => property.Name != "state").ToDictionary(property => property.Name, property => property.Value));

        var action = SlackFormMapper.Action(JsonDocument.Parse(withoutState).RootElement, Now)!.Press!;

        Assert.Null(action.Inputs);
    }

    [Fact]
    public void Command_Text_IsUnescapedAsSlackEscapedIt()
    {
        var form = SlackFormMapper.Parse(System.Text.Encoding.UTF8.GetBytes(
            "team_id=T0HOME&user_id=U0STAFF&channel_id=C0GROWTH&trigger_id=1.2.3&command=%2Fgrowth&text=Q%26amp%3BA+churn+%26lt%3B+2%25+%26gt%3B+1%25"));

        var message = SlackFormMapper.Command(form, Now)!;

        Assert.Equal("Q&A churn < 2% > 1%", message.Text);
    }
}
