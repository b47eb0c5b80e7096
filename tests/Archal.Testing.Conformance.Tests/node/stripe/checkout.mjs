// Checkout: product, price, customer, payment intent create → confirm → succeeded, charge, manual capture, 401.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { createStripe, Stripe } from './client.mjs';

const stripe = createStripe();
const ctx = {};

await steps([
  ['creates a product with a default price and a customer', async () => {
    ctx.product = await stripe.products.create({ name: 'T-shirt', default_price_data: { currency: 'usd', unit_amount: 2500 } });
    assert.match(ctx.product.id, /^prod_/);
    assert.match(ctx.product.default_price, /^price_/);
    const price = await stripe.prices.retrieve(ctx.product.default_price);
    assert.equal(price.unit_amount, 2500);
    ctx.customer = await stripe.customers.create({ email: 'jenny@example.com', name: 'Jenny Rosen', metadata: { source: 'checkout' } });
    assert.match(ctx.customer.id, /^cus_/);
    assert.equal(ctx.customer.metadata.source, 'checkout');
    assert.equal(ctx.customer.livemode, false);
    assert.equal(typeof ctx.customer.created, 'number');
  }],
  ['attaches a card and reads it back through the customer', async () => {
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: ctx.customer.id });
    const viaCustomer = await stripe.customers.retrievePaymentMethod(ctx.customer.id, pm.id);
    assert.equal(viaCustomer.card.last4, '4242');
    const listed = await stripe.customers.listPaymentMethods(ctx.customer.id, { type: 'card' });
    assert.deepEqual(listed.data.map((p) => p.id), [pm.id]);
    const updated = await stripe.customers.update(ctx.customer.id, { invoice_settings: { default_payment_method: pm.id } });
    assert.equal(updated.invoice_settings.default_payment_method, pm.id);
  }],
  ['payment intent goes requires_payment_method → succeeded on confirm', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 2500, currency: 'usd', customer: ctx.customer.id,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' }, metadata: { order: '1001' } });
    assert.equal(pi.status, 'requires_payment_method');
    assert.deepEqual(pi.automatic_payment_methods, { allow_redirects: 'never', enabled: true });
    assert.ok(pi.client_secret.startsWith(pi.id + '_secret_'));
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    assert.equal(confirmed.status, 'succeeded');
    assert.equal(confirmed.amount_received, 2500);
    const withCharge = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'customer'] });
    assert.equal(withCharge.latest_charge.object, 'charge');
    assert.equal(withCharge.latest_charge.status, 'succeeded');
    assert.equal(withCharge.latest_charge.metadata.order, '1001');
    assert.equal(withCharge.customer.email, 'jenny@example.com');
    ctx.pi = pi;
  }],
  ['create with confirm=true succeeds in one call and lists by customer', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', customer: ctx.customer.id,
      payment_method: 'pm_card_mastercard', confirm: true, allowed_payment_method_types: ['card'] });
    assert.equal(pi.status, 'succeeded');
    const list = await stripe.paymentIntents.list({ customer: ctx.customer.id });
    assert.deepEqual(list.data.map((p) => p.id), [pi.id, ctx.pi.id]);
    const charges = await stripe.charges.list({ payment_intent: pi.id });
    assert.equal(charges.data.length, 1);
    assert.equal(charges.data[0].payment_method_details.card.brand, 'mastercard');
  }],
  ['2026-10-28.endive: allowed_payment_method_types replaces payment_method_types; older versions keep it', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 900, currency: 'usd', allowed_payment_method_types: ['card', 'ideal'] });
    assert.deepEqual(pi.allowed_payment_method_types, ['card', 'ideal']);
    assert.deepEqual(pi.payment_method_types, ['card']);
    assert.equal(pi.automatic_payment_methods, null);
    await assert.rejects(stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method_types: ['card'] }),
      (err) => err.statusCode === 400 && err.code === 'payment_method_types_no_longer_supported' && err.param === 'payment_method_types');
    await assert.rejects(stripe.paymentIntents.create({ amount: 900, currency: 'usd', allowed_payment_method_types: ['card'],
      automatic_payment_methods: { enabled: true } }), (err) => err.statusCode === 400 && /only specify one of/.test(err.message));
    const clover = createStripe({ apiVersion: '2025-09-30.clover' });
    const old = await clover.paymentIntents.create({ amount: 900, currency: 'usd', payment_method_types: ['card'] });
    assert.deepEqual(old.payment_method_types, ['card']);
    assert.equal('allowed_payment_method_types' in old, false);
    await assert.rejects(clover.paymentIntents.create({ amount: 900, currency: 'usd', allowed_payment_method_types: ['card'] }),
      (err) => err.code === 'parameter_unknown' && err.param === 'allowed_payment_method_types');
  }],
  ['manual capture captures part of the authorization', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', capture_method: 'manual',
      payment_method: 'pm_card_amex', confirm: true, allowed_payment_method_types: ['card'] });
    assert.equal(pi.status, 'requires_capture');
    assert.equal(pi.amount_capturable, 5000);
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 });
    assert.equal(captured.status, 'succeeded');
    assert.equal(captured.amount_received, 3000);
  }],
  ['cancel an open payment intent', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 900, currency: 'usd' });
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' });
    assert.equal(canceled.status, 'canceled');
    await assert.rejects(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }),
      (err) => err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'payment_intent_unexpected_state');
  }],
  ['missing resources and bad parameters surface as StripeInvalidRequestError', async () => {
    await assert.rejects(stripe.customers.retrieve('cus_missing'), (err) =>
      err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404 && err.code === 'resource_missing'
      && err.param === 'id' && /^req_/.test(err.requestId));
    await assert.rejects(stripe.customers.create({ favourite_colour: 'blue' }), (err) =>
      err.code === 'parameter_unknown' && err.message === 'Received unknown parameter: favourite_colour');
  }],
  ['a bad key surfaces as StripeAuthenticationError', async () => {
    const bad = createStripe({ key: 'sk_live_nope' });
    await assert.rejects(bad.customers.list(), (err) => err instanceof Stripe.errors.StripeAuthenticationError && err.statusCode === 401);
  }],
  ['Stripe-Version is sent and echoed', async () => {
    const response = await stripe.customers.retrieve(ctx.customer.id);
    assert.equal(response.lastResponse.apiVersion, stripe.getApiField('version'));
    const pinned = createStripe({ apiVersion: '2025-03-31.basil' });
    const older = await pinned.customers.retrieve(ctx.customer.id);
    assert.equal(older.lastResponse.apiVersion, '2025-03-31.basil');
    assert.match(response.lastResponse.requestId, /^req_/);
    assert.notEqual(older.lastResponse.requestId, response.lastResponse.requestId);
  }],
]);
