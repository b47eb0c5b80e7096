// Conformance: the official @slack/web-api WebClient, unmodified, against the Slack clone
// (engineering-team seed). Only slackApiUrl and the route headers differ from production use.
import assert from 'node:assert/strict';
import { WebClient, ErrorCode } from '@slack/web-api';
import { cloneUrls, routeHeaders, serviceToken, steps } from '../lib.mjs';

const slackApiUrl = cloneUrls.slack + '/';
// retries: 0 so an unexpected 429/5xx fails fast instead of backing off.
// WebClient writes its Authorization header into the headers object it is given, so each client gets a copy.
const options = () => ({ slackApiUrl, headers: { ...routeHeaders }, retryConfig: { retries: 0 } });
const client = new WebClient(serviceToken('slack'), options());
const TS = /^\d{10}\.\d{6}$/;

async function platformError(promise, code) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, ErrorCode.PlatformError, `expected a platform error, got ${err.code}: ${err.message}`);
    assert.equal(err.data.ok, false);
    assert.equal(err.data.error, code);
    return true;
  });
}

let botUserId;
let engineering;
let parentTs;

await steps([
  ['auth.test identifies the bot user', async () => {
    const res = await client.auth.test();
    assert.equal(res.ok, true);
    assert.equal(res.user, 'archal-bot');
    assert.match(res.bot_id, /^B/);
    botUserId = res.user_id;
  }],

  ['client.paginate walks conversations.list page by page', async () => {
    const names = [];
    let pages = 0;
    for await (const page of client.paginate('conversations.list', { limit: 2, types: 'public_channel' })) {
      pages++;
      assert.ok(page.channels.length <= 2);
      names.push(...page.channels.map((c) => c.name));
      const found = page.channels.find((c) => c.name === 'engineering');
      if (found) engineering = found.id;
    }
    assert.deepEqual([...names].sort(), ['deploys', 'engineering', 'general', 'random']);
    assert.equal(pages, 2);
    assert.ok(engineering);
  }],

  ['chat.postMessage posts text and blocks as the bot', async () => {
    const res = await client.chat.postMessage({
      channel: engineering,
      text: 'Deploy finished',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Deploy* finished' } }],
      unfurl_links: false,
      mrkdwn: true,
    });
    assert.equal(res.ok, true);
    assert.equal(res.channel, engineering);
    assert.match(res.ts, TS);
    assert.equal(res.message.user, botUserId);
    assert.match(res.message.bot_id, /^B/);
    assert.equal(res.message.blocks[0].type, 'section');
    parentTs = res.ts;
  }],

  ['threads: replies update reply_count and show in conversations.replies', async () => {
    await client.chat.postMessage({ channel: engineering, text: 'first reply', thread_ts: parentTs });
    const broadcast = await client.chat.postMessage({ channel: engineering, text: 'second reply', thread_ts: parentTs, reply_broadcast: true });
    assert.equal(broadcast.message.subtype, 'thread_broadcast');
    const res = await client.conversations.replies({ channel: engineering, ts: parentTs });
    assert.deepEqual(res.messages.map((m) => m.text), ['Deploy finished', 'first reply', 'second reply']);
    assert.equal(res.messages[0].reply_count, 2);
    assert.deepEqual(res.messages[0].reply_users, [botUserId]);
    assert.equal(res.messages[0].latest_reply, broadcast.ts);
  }],

  ['reactions: add, get, duplicate add is already_reacted, remove', async () => {
    await client.reactions.add({ channel: engineering, timestamp: parentTs, name: 'rocket' });
    const got = await client.reactions.get({ channel: engineering, timestamp: parentTs });
    assert.deepEqual(got.message.reactions, [{ name: 'rocket', users: [botUserId], count: 1 }]);
    await platformError(client.reactions.add({ channel: engineering, timestamp: parentTs, name: 'rocket' }), 'already_reacted');
    await client.reactions.remove({ channel: engineering, timestamp: parentTs, name: 'rocket' });
    await platformError(client.reactions.remove({ channel: engineering, timestamp: parentTs, name: 'rocket' }), 'no_reaction');
  }],

  ['client.paginate walks conversations.history newest first', async () => {
    for (let i = 0; i < 12; i++) {
      await client.chat.postMessage({ channel: engineering, text: `batch ${i}` });
    }
    const seen = [];
    for await (const page of client.paginate('conversations.history', { channel: engineering, limit: 5 })) {
      seen.push(...page.messages.map((m) => m.ts));
    }
    const sorted = [...seen].sort().reverse();
    assert.deepEqual(seen, sorted);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length >= 13, `expected the seeded and posted messages, got ${seen.length}`);
  }],

  ['client.paginate with a reducer collects users.list', async () => {
    const ids = await client.paginate('users.list', { limit: 3 }, () => false, (acc, page) => [...(acc ?? []), ...page.members.map((m) => m.id)]);
    assert.equal(ids.length, 9);
    assert.ok(ids.includes(botUserId));
    const byEmail = await client.users.lookupByEmail({ email: 'alice@acme-eng.example.com' });
    assert.equal(byEmail.user.name, 'alice');
  }],

  ['chat.update and chat.delete act on own messages only', async () => {
    const posted = await client.chat.postMessage({ channel: engineering, text: 'v1' });
    const updated = await client.chat.update({ channel: engineering, ts: posted.ts, text: 'v2' });
    assert.equal(updated.text, 'v2');
    const history = await client.conversations.history({ channel: engineering, limit: 200 });
    const others = history.messages.find((m) => m.user !== botUserId && !m.subtype);
    await platformError(client.chat.update({ channel: engineering, ts: others.ts, text: 'nope' }), 'cant_update_message');
    const deleted = await client.chat.delete({ channel: engineering, ts: posted.ts });
    assert.equal(deleted.ts, posted.ts);
    await platformError(client.chat.delete({ channel: engineering, ts: posted.ts }), 'message_not_found');
  }],

  ['channel lifecycle: create, invite, topic, archive', async () => {
    const created = await client.conversations.create({ name: 'incident-42' });
    const id = created.channel.id;
    const users = await client.users.list({});
    const carol = users.members.find((m) => m.name === 'carol').id;
    await client.conversations.invite({ channel: id, users: carol });
    await platformError(client.conversations.invite({ channel: id, users: carol }), 'already_in_channel');
    const topic = await client.conversations.setTopic({ channel: id, topic: 'Checkout is down' });
    assert.equal(topic.channel.topic.value, 'Checkout is down');
    const members = await client.conversations.members({ channel: id });
    assert.deepEqual([...members.members].sort(), [botUserId, carol].sort());
    await client.conversations.archive({ channel: id });
    await platformError(client.chat.postMessage({ channel: id, text: 'late' }), 'is_archived');
    await platformError(client.conversations.create({ name: 'incident-42' }), 'name_taken');
  }],

  ['DMs, pins, permalinks, ephemeral and scheduled messages', async () => {
    const users = (await client.users.list({})).members;
    const alice = users.find((m) => m.name === 'alice').id;
    const bob = users.find((m) => m.name === 'bob').id;
    const dm = await client.conversations.open({ users: alice });
    assert.match(dm.channel.id, /^D/);
    const group = await client.conversations.open({ users: [alice, bob].join(',') });
    assert.equal(group.channel.is_mpim, true);
    const hello = await client.chat.postMessage({ channel: dm.channel.id, text: 'hello alice' });
    await client.pins.add({ channel: dm.channel.id, timestamp: hello.ts });
    const pins = await client.pins.list({ channel: dm.channel.id });
    assert.equal(pins.items[0].message.ts, hello.ts);
    const link = await client.chat.getPermalink({ channel: dm.channel.id, message_ts: hello.ts });
    assert.equal(link.permalink, `https://acme-eng.slack.com/archives/${dm.channel.id}/p${hello.ts.replace('.', '')}`);
    const ephemeral = await client.chat.postEphemeral({ channel: engineering, user: alice, text: 'only for alice' });
    assert.match(ephemeral.message_ts, TS);
    const postAt = Math.floor(Date.now() / 1000) + 3600;
    const scheduled = await client.chat.scheduleMessage({ channel: engineering, text: 'reminder', post_at: postAt });
    assert.match(scheduled.scheduled_message_id, /^Q/);
    const listed = await client.chat.scheduledMessages.list({ channel: engineering });
    assert.deepEqual(listed.scheduled_messages.map((m) => m.id), [scheduled.scheduled_message_id]);
    await client.chat.deleteScheduledMessage({ channel: engineering, scheduled_message_id: scheduled.scheduled_message_id });
    await platformError(client.chat.scheduleMessage({ channel: engineering, text: 'too late', post_at: 1000000000 }), 'time_in_past');
  }],

  ['array arguments serialized by the SDK are understood', async () => {
    const created = await client.conversations.create({ name: 'arrays' });
    const users = (await client.users.list({})).members;
    const ids = users.filter((m) => ['dave', 'erin'].includes(m.name)).map((m) => m.id);
    await client.conversations.invite({ channel: created.channel.id, users: ids });
    const members = [];
    for await (const page of client.paginate('conversations.members', { channel: created.channel.id, limit: 1 })) {
      members.push(...page.members);
    }
    assert.deepEqual([...members].sort(), [botUserId, ...ids].sort());
    const mine = await client.users.conversations({ types: 'public_channel,private_channel' });
    assert.ok(mine.channels.some((c) => c.id === created.channel.id));
  }],

  ['a user token (xoxp-) posts as the person and can search', async () => {
    const alice = new WebClient(process.env.SLACK_ALICE_TOKEN, options());
    const me = await alice.auth.test();
    assert.equal(me.user, 'alice');
    assert.equal(me.bot_id, undefined);
    const posted = await alice.chat.postMessage({ channel: engineering, text: 'Searchable needle from alice' });
    assert.equal(posted.message.user, me.user_id);
    assert.equal(posted.message.bot_id, undefined);
    const found = await alice.search.messages({ query: 'needle from:@alice in:#engineering' });
    assert.deepEqual(found.messages.matches.map((m) => m.ts), [posted.ts]);
    await platformError(client.search.messages({ query: 'needle' }), 'not_allowed_token_type');
  }],

  ['platform errors surface for bad channels and missing membership', async () => {
    await platformError(client.chat.postMessage({ channel: 'C0NOTHERE00', text: 'x' }), 'channel_not_found');
    const list = await client.conversations.list({});
    const random = list.channels.find((c) => c.name === 'random').id;
    await platformError(client.chat.postMessage({ channel: random, text: 'x' }), 'not_in_channel');
    await platformError(client.conversations.history({ channel: random }), 'not_in_channel');
  }],

  ['auth failures are platform errors: not_authed and invalid_auth', async () => {
    await platformError(new WebClient(undefined, options()).auth.test(), 'not_authed');
    await platformError(new WebClient('not-a-slack-token', options()).auth.test(), 'invalid_auth');
  }],

  ['any fresh service-shaped token works, as the platform contract says', async () => {
    const bot = new WebClient('xoxb-1234-5678-freshtokenfromtheagent', options());
    const auth = await bot.auth.test();
    assert.equal(auth.user_id, botUserId);
    const created = await bot.conversations.create({ name: 'fresh-token-channel' });
    assert.equal(created.channel.creator, botUserId);
    const users = await bot.users.list({});
    assert.ok(users.members.some((m) => m.name === 'alice'));
    const person = await new WebClient('xoxp-1234-5678-freshusertoken', options()).auth.test();
    assert.equal(person.ok, true);
    assert.equal(person.bot_id, undefined);
  }],

  ['an unknown method is an HTTP 404 error, as from slack.com', async () => {
    await assert.rejects(client.apiCall('chat.postMassage', { channel: engineering }), (err) => {
      assert.equal(err.code, ErrorCode.HTTPError);
      assert.equal(err.statusCode, 404);
      return true;
    });
  }],
]);
