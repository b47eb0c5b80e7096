// Conformance: the clone's 429 + Retry-After surfaces as @slack/web-api's rate-limited error.
// The C# test limits tier 2 (conversations.list) to one call per minute for this session.
import assert from 'node:assert/strict';
import { WebClient, ErrorCode } from '@slack/web-api';
import { cloneUrls, routeHeaders, serviceToken, steps } from '../lib.mjs';

const client = new WebClient(serviceToken('slack'), {
  slackApiUrl: cloneUrls.slack + '/',
  headers: { ...routeHeaders },
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
});

await steps([
  ['the first tier-2 call succeeds', async () => {
    const res = await client.conversations.list({});
    assert.equal(res.ok, true);
  }],
  ['the next one is rejected as rate limited with Retry-After', async () => {
    await assert.rejects(client.conversations.list({}), (err) => {
      assert.equal(err.code, ErrorCode.RateLimitedError);
      assert.ok(err.retryAfter >= 1 && err.retryAfter <= 60, `retryAfter ${err.retryAfter}`);
      return true;
    });
  }],
  ['other tiers are unaffected', async () => {
    const res = await client.users.info({ user: (await client.auth.test()).user_id });
    assert.equal(res.user.name, 'archal-bot');
  }],
]);
