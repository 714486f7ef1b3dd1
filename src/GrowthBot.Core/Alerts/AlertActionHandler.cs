using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// The Acknowledge and Snooze buttons on an alert's post (Explain is the question's own button).
/// Each records who pressed it and when, then replaces the post with its refreshed numbers and
/// the new state, so the whole channel sees who took it. Only staff may press them.
/// </summary>
public sealed class AlertActionHandler(AlertBook book, AlertMonitor monitor, IAccessPolicy access, CompanyOptions company, string currency, TimeProvider time) : IActionHandler
{
    public bool CanHandle(string actionId) => actionId is AlertMessages.AcknowledgeAction or AlertMessages.SnoozeAction;

    public Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        if (!access.IsStaff(action.From)) return Task.FromResult<ChatMessage?>(AccessReplies.MetricsRefused(company.Name));
        var now = time.GetUtcNow();
        var who = action.From.DisplayName ?? action.From.UserId;
        Alert? updated;
        if (action.ActionId == AlertMessages.AcknowledgeAction)
        {
            updated = book.Update(action.Value, state => state.AcknowledgedBy is not null
                ? state
                : state with { AcknowledgedBy = action.From.UserId, AcknowledgedByName = who, AcknowledgedAt = now });
        }
        else
        {
            var parts = action.Value.Split(':');
            TimeSpan? length = parts.Length == 2 ? parts[1] switch { "1d" => TimeSpan.FromDays(1), "7d" => TimeSpan.FromDays(7), _ => null } : null;
            if (length is not { } snooze) return Task.FromResult<ChatMessage?>(ChatMessage.Plain("That button no longer works. \"alerts\" lists the alerts."));
            updated = book.Update(parts[0], state => state with { SnoozedUntil = now + snooze, SnoozedByName = who });
        }
        if (updated is null) return Task.FromResult<ChatMessage?>(ChatMessage.Plain("This alert was removed (\"alert off\"), so there is nothing to acknowledge or snooze. \"alerts\" lists the alerts."));
        var evaluator = monitor.NewEvaluator();
        var reading = evaluator.Read(updated.Rule, now);
        var message = AlertMessages.Post(updated, reading, evaluator.Contributors(reading), currency, company.Zone(), now, resolved: !updated.State.Firing);
        return Task.FromResult<ChatMessage?>(message with { ReplacesOriginal = true });
    }
}
