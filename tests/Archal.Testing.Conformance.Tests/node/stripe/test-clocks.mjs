// Test clocks with stripe.testHelpers.testClocks: trial → advance past the trial → first invoice paid; a declining card
// → advance a period → past_due, retries, then canceled (the default end state); the events list shows each step in order.
// Then the session clock over HTTP (POST /api/sessions/{id}/clock) renews a subscription that has no test clock.
import assert from 'node:assert/strict';
import { steps, routeHeaders } from '../lib.mjs';
import { createStripe, apiBase } from './client.mjs';

const stripe = createStripe();
const ctx = {};
const DAY = 86400;
const frozen = 1767225600; // 2026-01-01T00:00:00Z

async function advanceTo(time) {
  const advancing = await stripe.testHelpers.testClocks.advance(ctx.clock.id, { frozen_time: time });
  assert.equal(advancing.status, 'advancing');
  assert.equal(advancing.status_details.advancing.target_frozen_time, time);
  let clock = advancing;
  for (let i = 0; i < 50 && clock.status !== 'ready'; i++) {
    clock = await stripe.testHelpers.testClocks.retrieve(ctx.clock.id);
  }

  assert.equal(clock.status, 'ready');
  assert.equal(clock.frozen_time, time);
}

// Events about this customer's subscription and invoices, oldest first.
async function subscriptionEvents() {
  const events = await stripe.events.list({ limit: 100 });
  return events.data.reverse()
    .filter((e) => e.data.object.customer === ctx.customer.id && /^(invoice|customer\.subscription)\./.test(e.type))
    .map((e) => e.type);
}

await steps([
  ['create, retrieve and list a test clock', async () => {
    ctx.clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen, name: 'Annual renewals' });
    assert.match(ctx.clock.id, /^clock_/);
    assert.equal(ctx.clock.object, 'test_helpers.test_clock');
    assert.equal(ctx.clock.status, 'ready');
    assert.equal(ctx.clock.frozen_time, frozen);
    assert.equal(ctx.clock.name, 'Annual renewals');
    assert.equal(ctx.clock.deletes_after - ctx.clock.created, 30 * DAY);
    const retrieved = await stripe.testHelpers.testClocks.retrieve(ctx.clock.id);
    assert.deepEqual([retrieved.id, retrieved.frozen_time, retrieved.status], [ctx.clock.id, frozen, 'ready']);
    const list = await stripe.testHelpers.testClocks.list();
    assert.deepEqual(list.data.map((c) => c.id), [ctx.clock.id]);
  }],
  ['a customer on the clock subscribes with a 14-day trial at the frozen time', async () => {
    ctx.customer = await stripe.customers.create({ email: 'clock@example.com', test_clock: ctx.clock.id,
      payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    assert.equal(ctx.customer.test_clock, ctx.clock.id);
    assert.equal(ctx.customer.created, frozen);
    const price = await stripe.prices.create({ unit_amount: 2000, currency: 'usd', recurring: { interval: 'month' }, product_data: { name: 'Pro' } });
    ctx.sub = await stripe.subscriptions.create({ customer: ctx.customer.id, items: [{ price: price.id }], trial_period_days: 14 });
    assert.equal(ctx.sub.status, 'trialing');
    assert.equal(ctx.sub.test_clock, ctx.clock.id);
    assert.equal(ctx.sub.trial_end, frozen + 14 * DAY);
  }],
  ['advancing past the trial bills and pays the first invoice', async () => {
    await advanceTo(frozen + 15 * DAY);
    const sub = await stripe.subscriptions.retrieve(ctx.sub.id, { expand: ['latest_invoice'] });
    assert.equal(sub.status, 'active');
    assert.equal(sub.latest_invoice.billing_reason, 'subscription_cycle');
    assert.equal(sub.latest_invoice.status, 'paid');
    assert.equal(sub.latest_invoice.amount_paid, 2000);
    assert.equal(sub.latest_invoice.status_transitions.finalized_at, frozen + 14 * DAY + 3600);
    ctx.periodEnd = sub.items.data[0].current_period_end;
  }],
  ['a declining card attaches; the next renewal fails and the subscription is past_due', async () => {
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: ctx.customer.id });
    await stripe.customers.update(ctx.customer.id, { invoice_settings: { default_payment_method: failing.id } });
    await advanceTo(ctx.periodEnd + 2 * 3600);
    const sub = await stripe.subscriptions.retrieve(ctx.sub.id, { expand: ['latest_invoice'] });
    assert.equal(sub.status, 'past_due');
    assert.equal(sub.latest_invoice.status, 'open');
    assert.equal(sub.latest_invoice.attempt_count, 1);
    assert.equal(sub.latest_invoice.next_payment_attempt, ctx.periodEnd + 3600 + 3 * DAY);
    ctx.renewal = sub.latest_invoice.id;
  }],
  ['retries follow the schedule, then the subscription is canceled', async () => {
    await advanceTo(ctx.periodEnd + 9 * DAY);
    const retried = await stripe.invoices.retrieve(ctx.renewal);
    assert.equal(retried.attempt_count, 3);
    assert.equal((await stripe.subscriptions.retrieve(ctx.sub.id)).status, 'past_due');
    await advanceTo(ctx.periodEnd + 16 * DAY);
    const sub = await stripe.subscriptions.retrieve(ctx.sub.id);
    assert.equal(sub.status, 'canceled');
    assert.equal(sub.cancellation_details.reason, 'payment_failed');
    const invoice = await stripe.invoices.retrieve(ctx.renewal);
    assert.equal(invoice.attempt_count, 4);
    assert.equal(invoice.next_payment_attempt, null);
  }],
  ['the events list shows each step in order', async () => {
    assert.deepEqual(await subscriptionEvents(), [
      'invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.created',
      'invoice.upcoming', 'customer.subscription.trial_will_end',
      'customer.subscription.updated', 'invoice.created',
      'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded',
      'invoice.upcoming',
      'customer.subscription.updated', 'invoice.created',
      'invoice.finalized', 'invoice.updated', 'invoice.payment_failed', 'customer.subscription.updated',
      'invoice.updated', 'invoice.payment_failed',
      'invoice.updated', 'invoice.payment_failed',
      'invoice.updated', 'invoice.payment_failed', 'customer.subscription.deleted',
    ]);
    const pastDue = (await stripe.events.list({ type: 'customer.subscription.updated', limit: 100 })).data
      .find((e) => e.data.object.status === 'past_due');
    assert.equal(pastDue.data.previous_attributes.status, 'active');
  }],
  ['deleting the clock deletes its customer', async () => {
    const deleted = await stripe.testHelpers.testClocks.del(ctx.clock.id);
    assert.deepEqual([deleted.id, deleted.object, deleted.deleted], [ctx.clock.id, 'test_helpers.test_clock', true]);
    const customer = await stripe.customers.retrieve(ctx.customer.id);
    assert.equal(customer.deleted, true);
    await assert.rejects(stripe.testHelpers.testClocks.retrieve(ctx.clock.id), (err) => err.statusCode === 404 && err.code === 'resource_missing');
  }],
  ['the session clock (POST /api/sessions/{id}/clock) renews a subscription without a test clock', async () => {
    const customer = await stripe.customers.create({ email: 'session@example.com', payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const price = await stripe.prices.create({ unit_amount: 500, currency: 'usd', recurring: { interval: 'week' }, product_data: { name: 'Weekly' } });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const response = await fetch(new URL(`/api/sessions/${process.env.AGENT_SESSION_ID}/clock`, apiBase.origin), {
      method: 'POST',
      headers: { authorization: routeHeaders['x-route-authorization'], 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 7 * DAY + 3600 }),
    });
    assert.equal(response.status, 200);
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    assert.deepEqual(invoices.data.map((i) => [i.billing_reason, i.status]), [['subscription_cycle', 'paid'], ['subscription_create', 'paid']]);
  }],
]);
