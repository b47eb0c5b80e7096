// Refunds: partial and full by payment intent or charge; over-refund is refused; charge fields follow.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { createStripe, Stripe } from './client.mjs';

const stripe = createStripe();
const ctx = {};

await steps([
  ['pays 100.00', async () => {
    ctx.pi = await stripe.paymentIntents.create({ amount: 10000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
    assert.equal(ctx.pi.status, 'succeeded');
  }],
  ['partial refund by payment intent', async () => {
    const refund = await stripe.refunds.create({ payment_intent: ctx.pi.id, amount: 2500, reason: 'requested_by_customer', metadata: { ticket: 'T-1' } });
    assert.match(refund.id, /^re_/);
    assert.equal(refund.status, 'succeeded');
    assert.equal(refund.charge, ctx.pi.latest_charge);
    const charge = await stripe.charges.retrieve(ctx.pi.latest_charge);
    assert.equal(charge.amount_refunded, 2500);
    assert.equal(charge.refunded, false);
  }],
  ['over-refund is a StripeInvalidRequestError', async () => {
    await assert.rejects(stripe.refunds.create({ charge: ctx.pi.latest_charge, amount: 9000 }), (err) =>
      err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 400 && err.param === 'amount');
  }],
  ['refund the rest by charge, then nothing is left', async () => {
    const refund = await stripe.refunds.create({ charge: ctx.pi.latest_charge });
    assert.equal(refund.amount, 7500);
    const charge = await stripe.charges.retrieve(ctx.pi.latest_charge);
    assert.equal(charge.amount_refunded, 10000);
    assert.equal(charge.refunded, true);
    await assert.rejects(stripe.refunds.create({ payment_intent: ctx.pi.id }), (err) => err.code === 'charge_already_refunded');
  }],
  ['refunds list and retrieve', async () => {
    const list = await stripe.refunds.list({ payment_intent: ctx.pi.id });
    assert.deepEqual(list.data.map((r) => r.amount), [7500, 2500]);
    const one = await stripe.refunds.retrieve(list.data[1].id);
    assert.equal(one.metadata.ticket, 'T-1');
    const events = await stripe.events.list({ type: 'charge.refunded' });
    assert.equal(events.data.length, 2);
  }],
]);
