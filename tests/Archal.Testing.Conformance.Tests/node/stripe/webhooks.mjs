// Webhooks: an endpoint created through the API receives the clone's events over loopback HTTP, and stripe-node's
// own verifier (stripe.webhooks.constructEvent, unmodified) accepts the Stripe-Signature header with the endpoint's
// secret; a wrong secret or a changed body is refused by the same verifier.
import assert from 'node:assert/strict';
import http from 'node:http';
import { steps } from '../lib.mjs';
import { createStripe, Stripe } from './client.mjs';

const stripe = createStripe();
const ctx = { received: [] };
let arrived;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    ctx.received.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"received":true}');
    arrived?.();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/webhooks/stripe`;

async function next(count) {
  const deadline = Date.now() + 15000;
  while (ctx.received.length < count) {
    assert.ok(Date.now() < deadline, `no webhook ${count} within 15 s`);
    await new Promise((resolve) => { arrived = resolve; setTimeout(resolve, 200); });
  }
  return ctx.received[count - 1];
}

try {
  await steps([
    ['create a webhook endpoint', async () => {
      ctx.endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['customer.created', 'payment_intent.succeeded'] });
      assert.match(ctx.endpoint.id, /^we_/);
      assert.match(ctx.endpoint.secret, /^whsec_/);
      const again = await stripe.webhookEndpoints.retrieve(ctx.endpoint.id);
      assert.equal(again.secret, undefined);
    }],
    ['customer.created arrives and constructEvent verifies it', async () => {
      const customer = await stripe.customers.create({ email: 'ada@example.com' });
      const { headers, body } = await next(1);
      const event = stripe.webhooks.constructEvent(body, headers['stripe-signature'], ctx.endpoint.secret);
      assert.equal(event.type, 'customer.created');
      assert.equal(event.data.object.id, customer.id);
      assert.match(headers['user-agent'], /^Stripe\/1\.0/);
    }],
    ['the async verifier agrees', async () => {
      const { headers, body } = ctx.received[0];
      const event = await stripe.webhooks.constructEventAsync(body, headers['stripe-signature'], ctx.endpoint.secret);
      assert.equal(event.type, 'customer.created');
    }],
    ['a wrong secret or a changed body is refused', async () => {
      const { headers, body } = ctx.received[0];
      assert.throws(() => stripe.webhooks.constructEvent(body, headers['stripe-signature'], 'whsec_wrong'),
        (err) => err instanceof Stripe.errors.StripeSignatureVerificationError);
      const changed = Buffer.from(body.toString().replace('ada@example.com', 'eve@example.com'));
      assert.throws(() => stripe.webhooks.constructEvent(changed, headers['stripe-signature'], ctx.endpoint.secret),
        (err) => err instanceof Stripe.errors.StripeSignatureVerificationError);
    }],
    ['only enabled events arrive: payment_intent.succeeded, not payment_intent.created', async () => {
      const pi = await stripe.paymentIntents.create({ amount: 500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, allowed_payment_method_types: ['card'] });
      const { headers, body } = await next(2);
      const event = stripe.webhooks.constructEvent(body, headers['stripe-signature'], ctx.endpoint.secret);
      assert.equal(event.type, 'payment_intent.succeeded');
      assert.equal(event.data.object.id, pi.id);
    }],
  ]);
} finally {
  server.closeAllConnections();
  server.close();
}
