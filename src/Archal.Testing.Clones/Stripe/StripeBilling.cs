using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// What Stripe Billing does as time passes, fired by the session clock (objects without a test clock) or by
/// <c>POST /v1/test_helpers/test_clocks/{id}/advance</c> (objects of that clock), each step at its own instant:
/// <list type="bullet">
/// <item><c>customer.subscription.trial_will_end</c> three days before a trial ends (at once for a shorter trial, or when
/// <c>trial_end=now</c> ends it; https://docs.stripe.com/api/events/types, https://docs.stripe.com/billing/subscriptions/webhooks#events);</item>
/// <item>trial end and each period end: the subscription moves to the next period (<c>customer.subscription.updated</c>,
/// trialing → active at trial end) and a draft <c>subscription_cycle</c> invoice is created (<c>invoice.created</c>);</item>
/// <item>about an hour later (<c>automatically_finalizes_at</c>) the draft is finalized (<c>invoice.finalized</c>) and charged
/// with the default payment method: <c>invoice.paid</c> + <c>invoice.payment_succeeded</c>, or <c>invoice.payment_failed</c>
/// with the subscription <c>past_due</c> ("We wait an hour after … invoice.created before attempting payment",
/// https://docs.stripe.com/invoicing/integration/workflow-transitions);</item>
/// <item>failed payments are retried on the retry schedule (<c>next_payment_attempt</c>); when the last retry fails the
/// subscription is canceled, marked <c>unpaid</c> or left <c>past_due</c> as configured
/// (https://docs.stripe.com/billing/revenue-recovery/smart-retries#custom-retry-schedule);</item>
/// <item><c>cancel_at_period_end</c> / <c>cancel_at</c>: the subscription is canceled then (<c>customer.subscription.deleted</c>);</item>
/// <item>an <c>incomplete</c> subscription whose first invoice is still unpaid 23 hours after it was created becomes
/// <c>incomplete_expired</c> (<c>canceled_at</c> and <c>ended_at</c> set, <c>customer.subscription.updated</c>) and that invoice is
/// voided (<c>invoice.voided</c>): "no successful payment was made within 23 hours of creating the subscription"
/// (https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses; the event as Stripe sends it:
/// https://github.com/pay-rails/pay/issues/91).</item>
/// </list>
/// Session-clock work only covers what falls due after the session was seeded: a seed's history is taken as it is.
/// </summary>
internal static class StripeBilling
{
    private const long Day = 86_400;
    private const long TrialWillEndNotice = 3 * Day;
    private const long FinalizeDelay = 3_600;
    private const long IncompleteWindow = 23 * 3_600;

    private enum Kind { TrialWillEnd, Upcoming, Cancel, PeriodEnd, Finalize, Retry, ExpireIncomplete }

    private readonly record struct Due(long At, Kind Kind, StripeObject Target);

    /// <summary>The earliest due instant (unix seconds) among objects of <paramref name="clock"/> (null: the session clock).</summary>
    public static long? NextDue(StripeState state, string? clock, long notBefore = long.MinValue) =>
        Next(state, clock, notBefore) is { } due ? due.At : null;

    /// <summary>Fires everything of <paramref name="clock"/> due at or before <paramref name="until"/>, earliest first, each at its instant.</summary>
    public static void RunDue(StripeState state, string? clock, long until, long notBefore = long.MinValue)
    {
        var saved = state.NowOverride;
        var request = state.CurrentRequest;
        // Billing's own work is no API request's doing: its events carry request.id null, as Stripe's automatic events do.
        state.CurrentRequest = null;
        try
        {
            for (var guard = 0; guard < 100_000 && Next(state, clock, notBefore) is { } due && due.At <= until; guard++)
            {
                // Each step happens at its own instant (a renewal at the period end, not at the end of the advance).
                state.NowOverride = DateTimeOffset.FromUnixTimeSeconds(due.At);
                Fire(state, due);
            }
        }
        finally
        {
            state.NowOverride = saved;
            state.CurrentRequest = request;
        }
    }

    private static Due? Next(StripeState state, string? clock, long notBefore)
    {
        Due? best = null;
        void Consider(long? at, Kind kind, StripeObject target)
        {
            if (at is { } t && t >= notBefore && (best is null || t < best.Value.At))
            {
                best = new Due(t, kind, target);
            }
        }

        foreach (var subscription in state.Subscriptions.Items)
        {
            if (subscription.Status is not ("trialing" or "active" or "past_due" or "incomplete") || subscription.GetString("test_clock") != clock)
            {
                continue;
            }

            if (subscription.Status == "incomplete")
            {
                Consider(subscription.Created + IncompleteWindow, Kind.ExpireIncomplete, subscription);
                continue;
            }

            var periodEnd = PeriodEnd(subscription);
            if (UpcomingAt(state, subscription) is { } upcoming)
            {
                Consider(upcoming, Kind.Upcoming, subscription);
            }

            switch (subscription.Status)
            {
                case "trialing" when subscription.GetInt64("trial_end") is { } trialEnd:
                    if (!state.NoticesSent.Contains(TrialKey(subscription, trialEnd)))
                    {
                        // A trial shorter than three days hears about its end as soon as it starts.
                        Consider(Math.Max(trialEnd - TrialWillEndNotice, subscription.Created), Kind.TrialWillEnd, subscription);
                    }

                    if (CancelAt(subscription, trialEnd) is { } cancelInTrial && cancelInTrial <= trialEnd)
                    {
                        Consider(cancelInTrial, Kind.Cancel, subscription);
                    }
                    else
                    {
                        Consider(trialEnd, Kind.PeriodEnd, subscription);
                    }

                    break;
                case "active" or "past_due" when periodEnd is { } end:
                    if (CancelAt(subscription, end) is { } cancelAt && cancelAt <= end)
                    {
                        Consider(cancelAt, Kind.Cancel, subscription);
                    }
                    else
                    {
                        Consider(end, Kind.PeriodEnd, subscription);
                    }

                    break;
            }
        }

        foreach (var invoice in state.Invoices.Items)
        {
            // Most invoices are paid: look at the status before anything else.
            var status = invoice.Status;
            if (status is not ("draft" or "open") || invoice.GetString("test_clock") != clock || !invoice.GetBoolean("auto_advance"))
            {
                continue;
            }

            if (status == "draft")
            {
                Consider(invoice.GetInt64("automatically_finalizes_at"), Kind.Finalize, invoice);
            }
            else if (invoice.GetString("collection_method") == "charge_automatically"
                && invoice.GetString("billing_reason") != "subscription_create"
                && StripeInvoices.SubscriptionOf(invoice) is { } subscriptionId
                && state.Subscriptions.Find(subscriptionId) is { Status: "active" or "past_due" })
            {
                // Stripe retries renewals; an incomplete subscription's first invoice waits for the customer instead.
                Consider(invoice.GetInt64("next_payment_attempt"), Kind.Retry, invoice);
            }
        }

        return best;
    }

    /// <summary>
    /// Sends <c>customer.subscription.trial_will_end</c> once per trial: three days before it ends, at once for a shorter
    /// trial, or when it is ended early with <c>trial_end=now</c> (Stripe's event description, https://docs.stripe.com/api/events/types).
    /// </summary>
    internal static void TrialWillEnd(StripeState state, StripeSubscription subscription)
    {
        if (subscription.GetInt64("trial_end") is { } trialEnd && !state.NoticesSent.Contains(TrialKey(subscription, trialEnd)))
        {
            state.MarkNoticeSent(TrialKey(subscription, trialEnd));
            state.Emit("customer.subscription.trial_will_end", subscription, null);
        }
    }

    private static string TrialKey(StripeSubscription subscription, long trialEnd) => $"{subscription.Id}@{trialEnd}";

    private static string UpcomingKey(StripeSubscription subscription, long renewsAt) => $"upcoming:{subscription.Id}@{renewsAt}";

    /// <summary>
    /// When <c>invoice.upcoming</c> is due for the subscription's next renewal: the account's "upcoming renewal events" days
    /// before the period (or trial) ends, for a subscription charged automatically that will renew then (not one canceling at
    /// that end), once per renewal, and only if that instant falls inside the current period.
    /// </summary>
    private static long? UpcomingAt(StripeState state, StripeSubscription subscription)
    {
        var days = state.Billing.UpcomingRenewalDays;
        if (days == 0 || RenewsAt(subscription) is not { } end || subscription.GetString("collection_method") is "send_invoice"
            || CancelAt(subscription, end) is { } cancelAt && cancelAt <= end || state.NoticesSent.Contains(UpcomingKey(subscription, end)))
        {
            return null;
        }

        var at = end - (days * Day);
        var start = subscription.Json["items"]?["data"]?.AsArray().FirstOrDefault()?["current_period_start"]?.GetValue<long>() ?? subscription.Created;
        return at >= start ? at : null;
    }

    /// <summary>Sends <c>invoice.upcoming</c> with the invoice the next renewal will create (https://docs.stripe.com/api/events/types#event_types-invoice.upcoming).</summary>
    private static void Upcoming(StripeState state, StripeSubscription subscription)
    {
        var end = RenewsAt(subscription)!.Value;
        state.MarkNoticeSent(UpcomingKey(subscription, end));
        var items = subscription.Json["items"]!["data"]!.AsArray();
        var periodStart = subscription.Status == "trialing" ? end : items[0]!["current_period_start"]!.GetValue<long>();
        var (lines, _) = NextPeriod(state, items, end);
        state.Emit("invoice.upcoming", StripeInvoices.Upcoming(state, subscription, lines, periodStart, end, end + FinalizeDelay), null);
    }

    /// <summary>When the subscription next creates an invoice: its trial end while trialing, else its period end.</summary>
    private static long? RenewsAt(StripeSubscription subscription) =>
        subscription.Status == "trialing" ? subscription.GetInt64("trial_end") : PeriodEnd(subscription);

    /// <summary>The invoice lines of the period that starts at <paramref name="start"/> (one per subscription item), and when it ends.</summary>
    private static (List<StripeInvoices.Line> Lines, long End) NextPeriod(StripeState state, JsonArray items, long start)
    {
        var first = state.Prices.Find(items[0]!["price"]!["id"]!.GetValue<string>())!;
        var end = StripeSubscriptions.PeriodEnd(DateTimeOffset.FromUnixTimeSeconds(start), first);
        var lines = items.Select(i => new StripeInvoices.Line(
            state.Prices.Find(i!["price"]!["id"]!.GetValue<string>())!, i!["quantity"]!.GetValue<long>(), i["id"]!.GetValue<string>(), start, end, false)).ToList();
        return (lines, end);
    }

    private static long? PeriodEnd(StripeSubscription subscription) =>
        subscription.Json["items"]?["data"]?.AsArray().FirstOrDefault()?["current_period_end"]?.GetValue<long>();

    private static long? CancelAt(StripeSubscription subscription, long periodEnd) =>
        subscription.GetBoolean("cancel_at_period_end") ? periodEnd : subscription.GetInt64("cancel_at");

    private static void Fire(StripeState state, Due due)
    {
        switch (due.Kind)
        {
            case Kind.TrialWillEnd:
                TrialWillEnd(state, (StripeSubscription)due.Target);
                break;
            case Kind.Upcoming:
                Upcoming(state, (StripeSubscription)due.Target);
                break;
            case Kind.Cancel:
                Cancel(state, (StripeSubscription)due.Target);
                break;
            case Kind.PeriodEnd:
                Renew(state, (StripeSubscription)due.Target);
                break;
            case Kind.Finalize:
                var draft = (StripeInvoice)due.Target;
                state.Change(state.Invoices, draft, json => json["automatically_finalizes_at"] = null, null);
                StripeInvoices.FinalizeDraft(state, draft);
                if (draft.Status == "open")
                {
                    Attempt(state, draft);
                }

                break;
            case Kind.Retry:
                Attempt(state, (StripeInvoice)due.Target);
                break;
            case Kind.ExpireIncomplete:
                ExpireIncomplete(state, (StripeSubscription)due.Target);
                break;
        }
    }

    /// <summary>Nobody paid the first invoice within 23 hours: the subscription expires and its invoice is voided.</summary>
    private static void ExpireIncomplete(StripeState state, StripeSubscription subscription)
    {
        var now = state.NowSeconds;
        if (subscription.GetString("latest_invoice") is { } invoiceId && state.Invoices.Find(invoiceId) is { Status: "open" or "uncollectible" } invoice)
        {
            StripeInvoices.VoidCore(state, invoice);
        }

        state.Change(state.Subscriptions, subscription, json =>
        {
            json["status"] = "incomplete_expired";
            json["canceled_at"] ??= now;
            json["ended_at"] = now;
        }, "customer.subscription.updated");
    }

    /// <summary>The period (or trial) ended: next period, a draft invoice finalized an hour later.</summary>
    private static void Renew(StripeState state, StripeSubscription subscription)
    {
        var now = state.NowSeconds;
        var items = subscription.Json["items"]!["data"]!.AsArray();
        var previousStart = items[0]!["current_period_start"]!.GetValue<long>();
        var (lines, periodEnd) = NextPeriod(state, items, now);
        var trialEnded = subscription.Status == "trialing";
        state.Change(state.Subscriptions, subscription, json =>
        {
            if (trialEnded)
            {
                json["status"] = "active";
            }

            foreach (var item in json["items"]!["data"]!.AsArray())
            {
                item!["current_period_start"] = now;
                item["current_period_end"] = periodEnd;
            }
        }, "customer.subscription.updated");
        var invoice = StripeInvoices.CreateDraft(state, subscription, "subscription_cycle", lines, trialEnded ? now : previousStart, now);
        state.Change(state.Invoices, invoice, json => json["automatically_finalizes_at"] = now + FinalizeDelay, null);
        state.Change(state.Subscriptions, subscription, json => json["latest_invoice"] = invoice.Id, null);
    }

    /// <summary>Charges an open invoice with its default payment method; on a decline schedules the next retry or ends the subscription.</summary>
    private static void Attempt(StripeState state, StripeInvoice invoice)
    {
        var settings = state.Billing;
        var subscription = StripeInvoices.SubscriptionOf(invoice) is { } id ? state.Subscriptions.Find(id) : null;
        var method = StripeInvoices.DefaultPaymentMethod(state, invoice) is { } pm ? state.PaymentMethods.Find(pm) : null;
        bool failed;
        if (method is null)
        {
            // No payment method: the attempt fails and Stripe does not retry.
            var now = state.NowSeconds;
            state.Change(state.Invoices, invoice, json =>
            {
                json["attempted"] = true;
                json["attempt_count"] = (invoice.GetInt64("attempt_count") ?? 0) + 1;
                json["next_payment_attempt"] = null;
            }, "invoice.updated");
            state.Emit("invoice.payment_failed", invoice, null);
            failed = true;
        }
        else
        {
            failed = StripeInvoices.Charge(state, invoice, method, "Subscription update", attempts =>
                attempts <= settings.RetryDays.Count ? state.NowSeconds + settings.RetryDays[(int)attempts - 1] * Day : null) is not null;
        }

        if (!failed || subscription is null || subscription.GetString("latest_invoice") != invoice.Id)
        {
            return;
        }

        var exhausted = invoice.GetInt64("next_payment_attempt") is null;
        if (exhausted && settings.AfterFinalRetry == "cancel")
        {
            Cancel(state, subscription, "payment_failed");
            return;
        }

        var status = exhausted && settings.AfterFinalRetry == "unpaid" ? "unpaid" : "past_due";
        if (subscription.Status != status && subscription.Status is "active" or "past_due")
        {
            state.Change(state.Subscriptions, subscription, json => json["status"] = status, "customer.subscription.updated");
        }
    }

    private static void Cancel(StripeState state, StripeSubscription subscription, string reason = "cancellation_requested")
    {
        var now = state.NowSeconds;
        state.Change(state.Subscriptions, subscription, json =>
        {
            json["status"] = "canceled";
            json["ended_at"] = now;
            json["canceled_at"] ??= now;
            json["cancel_at"] = null;
            json["cancel_at_period_end"] = false;
            if (json["cancellation_details"] is JsonObject details)
            {
                details["reason"] = reason;
            }
        }, null);
        state.Emit("customer.subscription.deleted", subscription, null);
    }
}

/// <summary>
/// The account's subscription retry settings (Dashboard → Billing → Revenue recovery → Retries), from the seed data's
/// <c>settings</c> row: <c>{"retry_days": [3, 5, 7], "after_final_retry": "cancel" | "unpaid" | "past_due"}</c>.
/// </summary>
internal sealed record StripeBillingSettings(IReadOnlyList<int> RetryDays, string AfterFinalRetry, int UpcomingRenewalDays = 7)
{
    /// <summary>
    /// Three retries, 3, 5 and 7 days after the previous attempt, then cancel the subscription; <c>invoice.upcoming</c> 7 days
    /// before each renewal (Dashboard → Billing → Subscriptions and emails → "Upcoming renewal events"; 0 sends none).
    /// </summary>
    public static StripeBillingSettings Default { get; } = new([3, 5, 7], "cancel");

    public static readonly string[] EndStates = ["cancel", "unpaid", "past_due"];

    /// <summary>Reads the seed data's <c>settings</c> row.</summary>
    /// <exception cref="CloneSeedException">The row has the wrong shape.</exception>
    public static StripeBillingSettings From(JsonObject row)
    {
        var days = Default.RetryDays;
        var end = Default.AfterFinalRetry;
        var upcoming = Default.UpcomingRenewalDays;
        foreach (var (name, value) in row)
        {
            switch (name)
            {
                case "retry_days":
                    days = value is JsonArray array && array.All(d => d is JsonValue v && v.TryGetValue<int>(out var n) && n is >= 1 and <= 60) && array.Count <= 8
                        ? [.. array.Select(d => d!.GetValue<int>())]
                        : throw new CloneSeedException("Stripe seed data: settings.retry_days must be an array of at most 8 whole numbers of days, each 1 to 60.");
                    break;
                case "after_final_retry":
                    end = value is JsonValue text && text.TryGetValue<string>(out var s) && EndStates.Contains(s)
                        ? s
                        : throw new CloneSeedException($"Stripe seed data: settings.after_final_retry must be one of {string.Join(", ", EndStates)}.");
                    break;
                case "upcoming_renewal_days":
                    upcoming = value is JsonValue number && number.TryGetValue<int>(out var n) && n is >= 0 and <= 60
                        ? n
                        : throw new CloneSeedException("Stripe seed data: settings.upcoming_renewal_days must be a whole number of days, 0 (none) to 60.");
                    break;
                default:
                    throw new CloneSeedException($"Stripe seed data: settings has no field '{name}' (known: retry_days, after_final_retry, upcoming_renewal_days).");
            }
        }

        return new StripeBillingSettings(days, end, upcoming);
    }
}
