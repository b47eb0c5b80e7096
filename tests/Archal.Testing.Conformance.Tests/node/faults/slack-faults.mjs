// Conformance: injected Slack faults surface in @slack/web-api as Slack's own answers do.
// The C# test adds the rules: chat.postMessage → 429 ratelimited (first call); conversations.list → fatal_error.
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
  ['an injected 429 is a RateLimitedError with its Retry-After', async () => {
    await assert.rejects(client.chat.postMessage({ channel: 'C0000000001', text: 'hi' }), (err) => {
      assert.equal(err.code, ErrorCode.RateLimitedError);
      assert.equal(err.retryAfter, 30);
      return true;
    });
  }],
  ['an injected fatal_error is a PlatformError with data.error', async () => {
    await assert.rejects(client.conversations.list({}), (err) => {
      assert.equal(err.code, ErrorCode.PlatformError);
      assert.equal(err.data.ok, false);
      assert.equal(err.data.error, 'fatal_error');
      return true;
    });
  }],
  ['calls the rules do not touch work', async () => {
    const res = await client.auth.test();
    assert.equal(res.ok, true);
  }],
]);
