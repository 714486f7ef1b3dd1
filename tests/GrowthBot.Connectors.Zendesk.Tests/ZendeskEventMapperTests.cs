using GrowthBot.Connectors.Zendesk.Inbound;
using GrowthBot.Core.Support;

namespace GrowthBot.Connectors.Zendesk.Tests;

public sealed class ZendeskEventMapperTests
{
    private readonly ZendeskOptions _options = new() { WebhookSecret = "secret" };

    private SupportEvent Event(string fixture)
    {
        var mapping = ZendeskEventMapper.Map(ZendeskFixtures.Root(fixture), _options);
        Assert.Null(mapping.Refused);
        return Assert.IsType<SupportEvent>(mapping.Event);
    }

    [Fact]
    public void Map_StatusChangedToSolved_SolvesTheTicketAtTheEventTime()
    {
        var solved = Event("ticket.status_changed.solved");

        Assert.Equal(SupportEventKind.Solved, solved.Kind);
        Assert.Equal("cbe4028c-7239-495d-b020-f22348516046", solved.DeliveryId);
        Assert.Equal("5158", solved.TicketId);
        Assert.Equal("8447346622462", solved.CustomerId);
        Assert.Equal(new DateTimeOffset(2025, 6, 15, 9, 12, 7, TimeSpan.Zero), solved.OpenedAt);
        Assert.Equal(new DateTimeOffset(2025, 6, 15, 11, 30, 0, TimeSpan.Zero), solved.At);
    }

    [Fact]
    public void Map_StatusChangedFromSolvedToOpen_IsAReopen()
    {
        Assert.Equal(SupportEventKind.Unsolved, Event("ticket.status_changed.reopened").Kind);
    }

    [Fact]
    public void Map_PublicCommentByStaff_IsAnAgentReplyNamedByTheComment()
    {
        var reply = Event("ticket.comment_added.agent_reply");

        Assert.Equal(SupportEventKind.AgentReply, reply.Kind);
        Assert.Equal("9876543210", reply.ReplyId);
    }

    [Theory]
    [InlineData("ticket.comment_added.internal_note")]
    [InlineData("ticket.comment_added.customer")]
    public void Map_InternalNoteOrCustomerComment_IsNotAnAgentReply(string fixture)
    {
        var comment = Event(fixture);

        Assert.Equal(SupportEventKind.Seen, comment.Kind);
        Assert.Null(comment.ReplyId);
    }

    [Theory]
    [InlineData("ticket.created")]
    [InlineData("ticket.priority_changed")]
    public void Map_TicketCreatedOrUpdated_RefreshesTheTicket(string fixture) =>
        Assert.Equal(SupportEventKind.Seen, Event(fixture).Kind);

    [Theory]
    [InlineData("user.active_changed")]
    [InlineData("ticket.soft_deleted")]
    public void Map_UnusedEventType_IsIgnored(string fixture)
    {
        var mapping = ZendeskEventMapper.Map(ZendeskFixtures.Root(fixture), _options);

        Assert.Null(mapping.Event);
        Assert.Null(mapping.Refused);
        Assert.NotNull(mapping.Ignored);
    }

    [Fact]
    public void Map_RequesterOption_OrNoOrganization_UsesTheRequesterWithThePrefix()
    {
        _options.CustomerIdPrefix = "zd-";
        var withoutOrganization = ZendeskEventMapper.Map(ZendeskFixtures.Root("ticket.status_changed.solved", json => json["detail"]!["organization_id"] = null), _options);
        _options.CustomerId = ZendeskCustomerId.Requester;

        Assert.Equal("zd-8447388090494", withoutOrganization.Event!.CustomerId);
        Assert.Equal("zd-8447388090494", Event("ticket.status_changed.solved").CustomerId);
    }

    [Fact]
    public void Map_TicketEventWithoutDetailOrId_IsRefusedWithItsReason()
    {
        var noDetail = ZendeskEventMapper.Map(ZendeskFixtures.Root("ticket.status_changed.solved", json => json.Remove("detail")), _options);
        var noId = ZendeskEventMapper.Map(ZendeskFixtures.Root("ticket.status_changed.solved", json => json.Remove("id")), _options);
        var array = ZendeskEventMapper.Map(System.Text.Json.JsonDocument.Parse("[1,2]").RootElement, _options);

        Assert.Equal("the event has no ticket detail", noDetail.Refused);
        Assert.Equal("the event has no id or time", noId.Refused);
        Assert.Equal("the body is not a JSON object", array.Refused);
    }
}
