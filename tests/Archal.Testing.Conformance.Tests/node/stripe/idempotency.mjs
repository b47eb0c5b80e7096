// Idempotent retries: explicit keys replay; a lost response retried by the SDK creates one object; conflicts error.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { createStripe, Stripe } from './client.mjs';

const stripe = createStripe();

await steps([
  ['same key twice replays the first response', async () => {
    const first = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'idem-1' });
    const second = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'idem-1' });
    assert.equal(second.id, first.id);
    assert.equal(second.lastResponse.headers.get('idempotent-replayed'), 'true');
    const all = await stripe.customers.list({ email: 'once@example.com' });
    assert.equal(all.data.length, 1);
  }],
  ['same key with other parameters is a StripeIdempotencyError', async () => {
    await assert.rejects(stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'idem-1' }),
      (err) => err instanceof Stripe.errors.StripeIdempotencyError && err.statusCode === 400);
  }],
  ['a declined payment replays its 402 under the same key', async () => {
    const params = { amount: 1000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, allowed_payment_method_types: ['card'] };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'idem-2' }).catch((e) => e);
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: 'idem-2' }).catch((e) => e);
    assert.ok(first instanceof Stripe.errors.StripeCardError);
    assert.ok(second instanceof Stripe.errors.StripeCardError);
    assert.equal(second.raw.payment_intent.id, first.raw.payment_intent.id);
  }],
  ['a response lost on the wire is retried by the SDK with its key and creates one payment', async () => {
    let dropped = false;
    const flaky = createStripe({ maxNetworkRetries: 2 }, {
      onResponse: (response, request) => {
        if (!dropped && request.init.method === 'POST') {
          dropped = true;
          // The server handled the request; the client never sees the answer.
          throw Object.assign(new TypeError('fetch failed'), { code: 'ECONNRESET' });
        }
        return response;
      },
    });
    const pi = await flaky.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true,
      allowed_payment_method_types: ['card'], description: 'retry-once' });
    assert.equal(dropped, true);
    assert.equal(pi.status, 'succeeded');
    assert.equal(pi.lastResponse.headers.get('idempotent-replayed'), 'true');
    const matches = (await stripe.paymentIntents.list({ limit: 100 })).data.filter((p) => p.description === 'retry-once');
    assert.equal(matches.length, 1);
  }],
]);
