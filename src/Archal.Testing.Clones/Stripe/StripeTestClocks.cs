using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Stripe;

/// <summary>
/// <c>/v1/test_helpers/test_clocks</c>: create, retrieve, list, delete and advance test clocks
/// (https://docs.stripe.com/api/test_clocks, https://docs.stripe.com/billing/testing/test-clocks/api-advanced-usage).
/// Customers created with <c>test_clock</c>, and their subscriptions and invoices, live at the clock's
/// <c>frozen_time</c> and move only when it advances: renewals, trial ends, finalizations and retries due on the way fire
/// in time order (<see cref="StripeBilling"/>). Real Stripe advances in the background; here the work is done by the time
/// <c>advance</c> answers (<c>status: advancing</c>, as Stripe answers), so the next retrieve reads <c>ready</c>. One advance
/// goes at most two intervals of the clock's shortest subscription (two years without one), as Stripe allows.
/// </summary>
internal static class StripeTestClocks
{
    private const long DeletesAfter = 30 * 86_400;
    private const int MaxNameLength = 300;

    public static StripeTestClock Find(StripeCall call, string id, string param = "id") =>
        call.State.TestClocks.Find(id) ?? (param == "id" ? throw StripeErrors.NoSuch("test_clock", id) : throw StripeErrors.NoSuchParam("test_clock", id, param));

    public static JsonNode Create(StripeCall call)
    {
        call.Allow("frozen_time", "name");
        var frozen = call.Int("frozen_time") ?? throw StripeErrors.Missing("frozen_time");
        var name = call.Str("name");
        if (name is { Length: > MaxNameLength })
        {
            throw StripeErrors.InvalidRequest($"Invalid string: {name[..20]}...; must be at most {MaxNameLength} characters", null, "name");
        }

        var state = call.State;
        var now = state.NowSeconds;
        var json = new JsonObject
        {
            ["id"] = state.NewId("clock_1", 23),
            ["object"] = "test_helpers.test_clock",
            ["created"] = now,
            ["deletes_after"] = now + DeletesAfter,
            ["frozen_time"] = frozen,
            ["livemode"] = false,
            ["name"] = string.IsNullOrEmpty(name) ? null : name,
            ["status"] = "ready",
            ["status_details"] = new JsonObject(),
        };
        return state.Create(state.TestClocks, new StripeTestClock(json, state.NextSequence()), "test_helpers.test_clock.created").Json;
    }

    public static JsonNode Retrieve(StripeCall call)
    {
        call.Allow();
        return Find(call, call.Route("id")).Json;
    }

    public static JsonNode List(StripeCall call)
    {
        call.Allow("limit", "starting_after", "ending_before");
        return StripeLists.List(call, call.State.TestClocks.Items, "/v1/test_helpers/test_clocks", "test_clock");
    }

    /// <summary>Deletes the clock and every customer on it (their subscriptions are canceled first).</summary>
    public static JsonNode Delete(StripeCall call)
    {
        call.Allow();
        var clock = Find(call, call.Route("id"));
        var state = call.State;
        using (state.AtClockOf(clock.Id))
        {
            foreach (var customer in state.Customers.Items.Where(c => c.GetString("test_clock") == clock.Id).ToList())
            {
                foreach (var subscription in state.Subscriptions.Items.Where(s => s.Customer == customer.Id && s.Status != "canceled").ToList())
                {
                    StripeSubscriptions.CancelNow(call, subscription, "cancellation_requested");
                }

                state.Customers.Remove(customer.Id);
                state.DeletedCustomers.Add(customer.Id);
                state.Emit("customer.deleted", customer, null);
            }
        }

        state.TestClocks.Remove(clock.Id);
        state.Emit("test_helpers.test_clock.deleted", clock, null);
        return new JsonObject { ["id"] = clock.Id, ["object"] = "test_helpers.test_clock", ["deleted"] = true };
    }

    /// <summary>
    /// How far one advance may go: "Cannot be more than two intervals in the future from the shortest subscription in this
    /// test clock. If there are no subscriptions in this test clock, it cannot be more than two years in the future."
    /// (https://docs.stripe.com/api/test_clocks/advance).
    /// </summary>
    private static long Limit(StripeState state, StripeTestClock clock)
    {
        var from = DateTimeOffset.FromUnixTimeSeconds(clock.FrozenTime);
        var limit = from.AddYears(2).ToUnixTimeSeconds();
        foreach (var subscription in state.Subscriptions.Items)
        {
            if (subscription.GetString("test_clock") == clock.Id && subscription.Status is not ("canceled" or "incomplete_expired")
                && subscription.Json["items"]?["data"]?.AsArray().FirstOrDefault()?["price"]?["id"]?.GetValue<string>() is { } priceId
                && state.Prices.Find(priceId) is { } price)
            {
                var oneInterval = StripeSubscriptions.PeriodEnd(from, price);
                limit = Math.Min(limit, StripeSubscriptions.PeriodEnd(DateTimeOffset.FromUnixTimeSeconds(oneInterval), price));
            }
        }

        return limit;
    }

    /// <summary>Moves the clock to <c>frozen_time</c>, firing its objects' due billing work in time order.</summary>
    public static JsonNode Advance(StripeCall call)
    {
        call.Allow("frozen_time");
        var clock = Find(call, call.Route("id"));
        var target = call.Int("frozen_time") ?? throw StripeErrors.Missing("frozen_time");
        var from = clock.FrozenTime;
        if (target <= from)
        {
            throw StripeErrors.InvalidRequest(
                $"The frozen_time must be after the test clock's current frozen_time ({from}). Test clocks can only move forward in time.", null, "frozen_time");
        }

        var state = call.State;
        if (target > Limit(state, clock))
        {
            throw StripeErrors.InvalidRequest(
                $"The frozen_time cannot be more than two intervals of the shortest subscription on this test clock (or two years when it has none) after its current frozen_time ({from}): at most {Limit(state, clock)}.",
                null, "frozen_time");
        }

        state.Change(state.TestClocks, clock, json =>
        {
            json["status"] = "advancing";
            json["status_details"] = new JsonObject { ["advancing"] = new JsonObject { ["target_frozen_time"] = target } };
        }, null);
        state.Emit("test_helpers.test_clock.advancing", clock, null);
        var answer = (JsonObject)clock.Json.DeepClone();

        StripeBilling.RunDue(state, clock.Id, target);
        state.Change(state.TestClocks, clock, json =>
        {
            json["frozen_time"] = target;
            json["status"] = "ready";
            json["status_details"] = new JsonObject();
        }, null);
        using (state.AtClockOf(clock.Id))
        {
            state.Emit("test_helpers.test_clock.ready", clock, null);
        }

        return answer;
    }
}

/// <summary>
/// How far one advance may go: "Cannot be more than two intervals in the future from the shortest subscription in this
/// test clock. If there are no subscriptions in this test clock, it cannot be more than two years in the future."
/// (https://docs.stripe.com/api/test_clocks/advance).
/// </summary>
/// <summary>A test clock (<c>clock_</c>, object <c>test_helpers.test_clock</c>).</summary>
public sealed class StripeTestClock : StripeObject
{
    internal StripeTestClock(JsonObject json, long sequence) : base(json, sequence) { }

    /// <summary>The clock's time (epoch seconds): objects on the clock live at this instant.</summary>
    public long FrozenTime => GetInt64("frozen_time") ?? 0;

    /// <summary>The status: <c>ready</c>, <c>advancing</c> or <c>internal_failure</c>.</summary>
    public string Status => GetString("status")!;
}
