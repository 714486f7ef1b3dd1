namespace GrowthBot.Core.Alerts;

/// <summary>What a check does with an alert's post.</summary>
internal enum AlertPostAction
{
    None,
    /// <summary>Post a new message (the first crossing in this period).</summary>
    Post,
    /// <summary>Replace the period's first post (a new crossing, or the value moved while firing).</summary>
    Update,
    /// <summary>Replace the post with "back within the line" (the condition became false: re-armed).</summary>
    Resolve,
}

/// <summary>The outcome of one check for one alert: what to post and the state to keep.</summary>
internal sealed record AlertDecision(AlertPostAction Action, AlertState State);

/// <summary>
/// The no-noise rules, pure: an alert fires once when its condition becomes true, and again only
/// after a check found it false (re-arm). A check without a verdict (thin data) changes nothing.
/// A snoozed alert posts nothing and stays armed, so it fires when the snooze ends if the
/// condition still holds. A crossing in a period that already has a post updates that post.
/// </summary>
internal static class AlertTransitions
{
    /// <summary>The shortest time between two refreshes of a firing alert's post with a moved value.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    public static AlertDecision Decide(AlertState state, AlertReading reading, DateTimeOffset now, Func<decimal?, string> shown)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(shown);
        var checkedState = state with { LastCheckedAt = now, LastNote = reading.NoVerdict };
        var value = reading.Current.Value;
        switch (reading.Met)
        {
            case null:
                return new AlertDecision(AlertPostAction.None, checkedState);
            case true when !state.Firing:
            {
                if (state.IsSnoozed(now)) return new AlertDecision(AlertPostAction.None, checkedState);
                var fired = checkedState with
                {
                    Firing = true, FiredAt = now, LastValue = value,
                    AcknowledgedBy = null, AcknowledgedByName = null, AcknowledgedAt = null,
                };
                return new AlertDecision(SamePeriod(state.Post, reading.Window, now) ? AlertPostAction.Update : AlertPostAction.Post, fired);
            }
            case true:
            {
                // Still firing: say nothing new, but keep the post's numbers current (no notification), at most
                // once a minute: revenue moves with every plan change, and a chat platform takes only so many
                // edits a minute. Until then the value kept is the one the post shows.
                var moved = state.Post is not null && !state.IsSnoozed(now) && shown(value) != shown(state.LastValue);
                if (moved && now < (state.Post!.RefreshedAt ?? state.Post.PostedAt) + RefreshInterval) return new AlertDecision(AlertPostAction.None, checkedState);
                return new AlertDecision(moved ? AlertPostAction.Update : AlertPostAction.None, checkedState with { LastValue = value });
            }
            case false when state.Firing:
            {
                var rearmed = checkedState with { Firing = false, LastValue = value, AcknowledgedBy = null, AcknowledgedByName = null, AcknowledgedAt = null };
                return new AlertDecision(state.Post is not null && !state.IsSnoozed(now) ? AlertPostAction.Resolve : AlertPostAction.None, rearmed);
            }
            default:
                return new AlertDecision(AlertPostAction.None, checkedState with { LastValue = value });
        }
    }

    /// <summary>True when <paramref name="post"/> is about the same period as this check, so it is updated rather than posted again.</summary>
    public static bool SamePeriod(AlertPost? post, AlertWindow window, DateTimeOffset now) =>
        post is not null && post.PeriodKey == window.Key && (!window.Rolling || now < post.PostedAt + AlertWindow.RollingLength);
}
