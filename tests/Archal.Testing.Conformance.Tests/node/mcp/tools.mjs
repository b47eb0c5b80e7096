// The official MCP TypeScript SDK client (Streamable HTTP) drives each clone's MCP endpoint: it lists the tools,
// calls tools that change state, and reads the state back through the clone's REST surface.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { cloneUrls, routeHeaders, serviceToken, steps } from '../lib.mjs';

async function connect(clone) {
  const url = process.env[`ARCHAL_${clone.toUpperCase()}_MCP_URL`];
  assert.ok(url, `ARCHAL_${clone.toUpperCase()}_MCP_URL is not set`);
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { ...routeHeaders, Authorization: `Bearer ${serviceToken(clone)}` } },
  });
  const client = new Client({ name: 'archal-conformance', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function rest(clone, path) {
  const response = await fetch(`${cloneUrls[clone]}${path}`, {
    headers: { ...routeHeaders, Authorization: `Bearer ${serviceToken(clone)}` },
  });
  assert.equal(response.status, 200, `${clone} ${path}`);
  return response.json();
}

const text = (result) => result.content.filter((c) => c.type === 'text').map((c) => c.text).join('');

let github, slack, stripe, issueNumber, customerId;
await steps([
  ['connects to the github clone and sees its catalog', async () => {
    github = await connect('github');
    assert.equal(github.getServerVersion().name, 'archal-testing-github');
    const { tools } = await github.listTools();
    const names = tools.map((t) => t.name);
    for (const name of ['get_me', 'issue_write', 'issue_read', 'add_issue_comment', 'list_issues']) assert.ok(names.includes(name), name);
    const issueWrite = tools.find((t) => t.name === 'issue_write');
    assert.deepEqual(issueWrite.inputSchema.required, ['method', 'owner', 'repo']);
    assert.equal(issueWrite.annotations.readOnlyHint, false);
  }],
  ['issue_write creates an issue that REST reads back', async () => {
    const result = await github.callTool({ name: 'issue_write', arguments: { method: 'create', owner: 'acme', repo: 'webapp', title: 'From the TypeScript MCP client', body: 'via MCP' } });
    assert.notEqual(result.isError, true, text(result));
    issueNumber = Number(JSON.parse(text(result)).url.split('/').pop());
    const issue = await rest('github', `/repos/acme/webapp/issues/${issueNumber}`);
    assert.equal(issue.title, 'From the TypeScript MCP client');
  }],
  ['add_issue_comment comments, issue_read reads it', async () => {
    const added = await github.callTool({ name: 'add_issue_comment', arguments: { owner: 'acme', repo: 'webapp', issue_number: issueNumber, body: 'first!' } });
    assert.notEqual(added.isError, true, text(added));
    const comments = JSON.parse(text(await github.callTool({ name: 'issue_read', arguments: { method: 'get_comments', owner: 'acme', repo: 'webapp', issue_number: issueNumber } })));
    assert.deepEqual(comments.map((c) => c.body), ['first!']);
  }],
  ['a GitHub error is a tool error with GitHub\'s message', async () => {
    const result = await github.callTool({ name: 'issue_read', arguments: { method: 'get', owner: 'acme', repo: 'webapp', issue_number: 99999 } });
    assert.equal(result.isError, true);
    assert.equal(text(result), 'failed to get issue: 404 Not Found');
  }],
  ['slack_post_message posts where conversations.history reads it', async () => {
    slack = await connect('slack');
    const channels = JSON.parse(text(await slack.callTool({ name: 'slack_list_channels', arguments: {} })));
    const general = channels.channels.find((c) => c.name === 'general').id;
    const posted = await slack.callTool({ name: 'slack_post_message', arguments: { channel_id: general, text: 'deploy done' } });
    assert.notEqual(posted.isError, true, text(posted));
    const history = await rest('slack', `/conversations.history?channel=${general}&limit=1`);
    assert.equal(history.messages[0].text, 'deploy done');
  }],
  ['create_customer creates a customer the Stripe API reads back', async () => {
    stripe = await connect('stripe');
    const created = await stripe.callTool({ name: 'create_customer', arguments: { name: 'Grace', email: 'grace@example.com' } });
    customerId = JSON.parse(text(created)).id;
    const customer = await rest('stripe', `/v1/customers/${customerId}`);
    assert.equal(customer.email, 'grace@example.com');
  }],
  ['closes the sessions', async () => {
    await github.close();
    await slack.close();
    await stripe.close();
    console.log(JSON.stringify({ issueNumber, customerId }));
  }],
]);
