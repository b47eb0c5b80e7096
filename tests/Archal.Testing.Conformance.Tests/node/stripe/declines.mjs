// Declines surface as StripeCardError with Stripe's codes; the intent keeps last_payment_error and a failed charge.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { createStripe, Stripe } from './client.mjs';

const stripe = createStripe();
const cards = [
  ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
  ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
  ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
  ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
  ['pm_card_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
  ['pm_card_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
];

await steps([
  ...cards.map(([card, code, declineCode]) => [`${card} → StripeCardError ${code}/${declineCode}`, async () => {
    let caught;
    try {
      await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: card, confirm: true, allowed_payment_method_types: ['card'] });
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof Stripe.errors.StripeCardError, `expected StripeCardError, got ${caught?.type}`);
    assert.equal(caught.statusCode, 402);
    assert.equal(caught.code, code);
    assert.equal(caught.decline_code, declineCode);
    assert.match(caught.raw.charge, /^ch_/);
    const pi = await stripe.paymentIntents.retrieve(caught.raw.payment_intent.id);
    assert.equal(pi.status, 'requires_payment_method');
    assert.equal(pi.last_payment_error.decline_code, declineCode);
    const charge = await stripe.charges.retrieve(caught.raw.charge);
    assert.equal(charge.status, 'failed');
    assert.equal(charge.outcome.type, 'issuer_declined');
  }]),
  ['a declined intent can be retried with another card', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', allowed_payment_method_types: ['card'] });
    await assert.rejects(stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }), Stripe.errors.StripeCardError);
    const retried = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    assert.equal(retried.status, 'succeeded');
    const charges = await stripe.charges.list({ payment_intent: pi.id });
    assert.deepEqual(charges.data.map((c) => c.status), ['succeeded', 'failed']);
  }],
  ['authentication-required card needs action on session and declines off session', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_authenticationRequired',
      confirm: true, allowed_payment_method_types: ['card'] });
    assert.equal(pi.status, 'requires_action');
    assert.equal(pi.next_action.type, 'use_stripe_sdk');
    await assert.rejects(stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_authenticationRequired',
      confirm: true, off_session: true, allowed_payment_method_types: ['card'] }), (err) => err instanceof Stripe.errors.StripeCardError && err.code === 'authentication_required');
  }],
  ['events record the failures', async () => {
    const events = await stripe.events.list({ type: 'payment_intent.payment_failed', limit: 100 });
    assert.ok(events.data.length >= cards.length);
    assert.equal(events.data[0].data.object.object, 'payment_intent');
  }],
]);
