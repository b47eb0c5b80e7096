// autoPagingEach / autoPagingToArray over lists and search results.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { createStripe } from './client.mjs';

const stripe = createStripe();
const created = [];

await steps([
  ['creates 25 customers', async () => {
    for (let i = 0; i < 25; i++) {
      created.push((await stripe.customers.create({ email: `user${i}@example.com`, metadata: { batch: i % 2 ? 'odd' : 'even' } })).id);
    }
  }],
  ['autoPagingEach visits every customer once, newest first', async () => {
    const seen = [];
    await stripe.customers.list({ limit: 10 }).autoPagingEach((customer) => { seen.push(customer.id); });
    assert.deepEqual(seen, [...created].reverse());
  }],
  ['autoPagingToArray respects its limit', async () => {
    const some = await stripe.customers.list({ limit: 4 }).autoPagingToArray({ limit: 9 });
    assert.equal(some.length, 9);
  }],
  ['for await over a search walks next_page', async () => {
    const seen = [];
    for await (const customer of stripe.customers.search({ query: "metadata['batch']:'odd'", limit: 5 })) seen.push(customer.id);
    assert.equal(seen.length, 12);
    assert.equal(new Set(seen).size, 12);
  }],
  ['ending_before pages backwards', async () => {
    const page = await stripe.customers.list({ limit: 3, ending_before: created[10] });
    assert.deepEqual(page.data.map((c) => c.id), [created[13], created[12], created[11]]);
    assert.equal(page.has_more, true);
  }],
]);
