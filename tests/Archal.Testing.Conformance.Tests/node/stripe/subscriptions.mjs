// Subscriptions: create with items and trials, invoices generated and paid, update items, cancel at period end / now.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { createStripe, Stripe } from './client.mjs';

const stripe = createStripe();
const ctx = {};

await steps([
  ['customer with a default card and two recurring prices', async () => {
    ctx.customer = await stripe.customers.create({ email: 'subs@example.com', payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' } });
    assert.match(ctx.customer.invoice_settings.default_payment_method, /^pm_/);
    const product = await stripe.products.create({ name: 'Team plan' });
    ctx.monthly = await stripe.prices.create({ product: product.id, unit_amount: 2900, currency: 'usd', recurring: { interval: 'month' }, lookup_key: 'team_monthly' });
    ctx.yearly = await stripe.prices.create({ product: product.id, unit_amount: 29000, currency: 'usd', recurring: { interval: 'year' } });
    const byKey = await stripe.prices.list({ lookup_keys: ['team_monthly'], expand: ['data.product'] });
    assert.equal(byKey.data[0].product.name, 'Team plan');
  }],
  ['subscription is active and its first invoice is paid', async () => {
    ctx.sub = await stripe.subscriptions.create({ customer: ctx.customer.id, items: [{ price: ctx.monthly.id, quantity: 3 }],
      metadata: { team: 'core' }, expand: ['latest_invoice'] });
    assert.equal(ctx.sub.status, 'active');
    assert.equal(ctx.sub.latest_invoice.status, 'paid');
    assert.equal(ctx.sub.latest_invoice.amount_paid, 8700);
    assert.equal(ctx.sub.items.data[0].quantity, 3);
    assert.ok(ctx.sub.items.data[0].current_period_end > ctx.sub.items.data[0].current_period_start);
    const invoices = await stripe.invoices.list({ customer: ctx.customer.id });
    assert.equal(invoices.data.length, 1);
    const lines = await stripe.invoices.listLineItems(invoices.data[0].id);
    assert.equal(lines.data[0].amount, 8700);
  }],
  ['trial subscription is trialing', async () => {
    const trial = await stripe.subscriptions.create({ customer: ctx.customer.id, items: [{ price: ctx.yearly.id }], trial_period_days: 7 });
    assert.equal(trial.status, 'trialing');
    assert.equal(trial.trial_end - trial.trial_start, 7 * 86400);
    const trialing = await stripe.subscriptions.list({ customer: ctx.customer.id, status: 'trialing' });
    assert.deepEqual(trialing.data.map((s) => s.id), [trial.id]);
    ctx.trial = trial;
  }],
  ['subscription items list and retrieve', async () => {
    const items = await stripe.subscriptionItems.list({ subscription: ctx.sub.id });
    assert.deepEqual(items.data.map((i) => i.id), [ctx.sub.items.data[0].id]);
    const item = await stripe.subscriptionItems.retrieve(items.data[0].id);
    assert.equal(item.price.id, ctx.monthly.id);
  }],
  ['update items swaps the price', async () => {
    const updated = await stripe.subscriptions.update(ctx.sub.id, {
      items: [{ id: ctx.sub.items.data[0].id, price: ctx.yearly.id }], proration_behavior: 'none' });
    assert.equal(updated.items.data.length, 1);
    assert.equal(updated.items.data[0].price.id, ctx.yearly.id);
  }],
  ['cancel at period end keeps it active, cancel now ends it', async () => {
    const pending = await stripe.subscriptions.update(ctx.sub.id, { cancel_at_period_end: true });
    assert.equal(pending.cancel_at_period_end, true);
    assert.equal(pending.status, 'active');
    const canceled = await stripe.subscriptions.cancel(ctx.trial.id);
    assert.equal(canceled.status, 'canceled');
    const active = await stripe.subscriptions.list({ customer: ctx.customer.id });
    assert.deepEqual(active.data.map((s) => s.id), [ctx.sub.id]);
    const ended = await stripe.subscriptions.list({ customer: ctx.customer.id, status: 'canceled' });
    assert.deepEqual(ended.data.map((s) => s.id), [ctx.trial.id]);
  }],
  ['declined renewal card: default_incomplete subscription, invoice pay fails then succeeds', async () => {
    const customer = await stripe.customers.create({ email: 'late@example.com' });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: ctx.monthly.id }], payment_behavior: 'default_incomplete' });
    assert.equal(sub.status, 'incomplete');
    await assert.rejects(stripe.invoices.pay(sub.latest_invoice, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }),
      (err) => err instanceof Stripe.errors.StripeCardError && err.decline_code === 'insufficient_funds');
    const paid = await stripe.invoices.pay(sub.latest_invoice, { payment_method: 'pm_card_visa' });
    assert.equal(paid.status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
  }],
  ['events for the lifecycle', async () => {
    const types = new Set();
    for await (const event of stripe.events.list({ limit: 100 })) types.add(event.type);
    for (const type of ['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted',
      'invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_failed']) {
      assert.ok(types.has(type), `missing ${type}`);
    }
  }],
]);
