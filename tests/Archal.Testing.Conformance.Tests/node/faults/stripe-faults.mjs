// Conformance: injected Stripe faults surface in stripe-node as Stripe's own answers do.
// The C# test adds the rules: customers/create → 429 rate_limit (first call); customers/list → 500;
// payment_intents/confirm → decline insufficient_funds.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { createStripe, Stripe } from '../stripe/client.mjs';

const stripe = createStripe();

await steps([
  ['an injected rate_limit is a StripeRateLimitError', async () => {
    await assert.rejects(stripe.customers.create({ email: 'a@example.com' }), (err) => {
      assert.ok(err instanceof Stripe.errors.StripeRateLimitError, `got ${err?.type}`);
      assert.equal(err.statusCode, 429);
      assert.equal(err.code, 'rate_limit');
      return true;
    });
  }],
  ['an injected 500 is a StripeAPIError', async () => {
    await assert.rejects(stripe.customers.list(), (err) => {
      assert.ok(err instanceof Stripe.errors.StripeAPIError, `got ${err?.type}`);
      assert.equal(err.statusCode, 500);
      return true;
    });
  }],
  ['an injected decline on confirm is a StripeCardError with the decline code', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] });
    await assert.rejects(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }), (err) => {
      assert.ok(err instanceof Stripe.errors.StripeCardError, `got ${err?.type}`);
      assert.equal(err.statusCode, 402);
      assert.equal(err.code, 'card_declined');
      assert.equal(err.decline_code, 'insufficient_funds');
      return true;
    });
  }],
  ['the second create is served', async () => {
    const customer = await stripe.customers.create({ email: 'b@example.com' });
    assert.match(customer.id, /^cus_/);
  }],
]);
