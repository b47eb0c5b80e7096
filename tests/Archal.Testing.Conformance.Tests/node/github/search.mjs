// Search with the q syntax agents use.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { octokit, rejects } from './client.mjs';

const gh = octokit();
const repo = { owner: 'acme', repo: 'webapp' };

await steps([
  ['seed a few recognisable issues', async () => {
    await gh.rest.issues.create({ ...repo, title: 'Dark mode flickers on Safari', body: 'The theme toggle flashes white.', labels: ['bug', 'ui'] });
    await gh.rest.issues.create({ ...repo, title: 'Add dark mode to settings', body: 'Users want it.', labels: ['enhancement', 'ui'] });
    const closed = await gh.rest.issues.create({ ...repo, title: 'Dark mode crashes', labels: ['bug'] });
    await gh.rest.issues.update({ ...repo, issue_number: closed.data.number, state: 'closed' });
  }],
  ['free text with repo:, is:issue, is:open and label:', async () => {
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: 'dark mode repo:acme/webapp is:issue is:open label:bug' });
    assert.equal(data.incomplete_results, false);
    assert.deepEqual(data.items.map((i) => i.title), ['Dark mode flickers on Safari']);
    assert.equal(data.total_count, 1);
  }],
  ['is:closed and in:title', async () => {
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: 'crashes in:title repo:acme/webapp is:closed' });
    assert.deepEqual(data.items.map((i) => i.title), ['Dark mode crashes']);
  }],
  ['in:body only matches bodies', async () => {
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: '"theme toggle" in:body repo:acme/webapp' });
    assert.deepEqual(data.items.map((i) => i.title), ['Dark mode flickers on Safari']);
    const none = await gh.rest.search.issuesAndPullRequests({ q: '"theme toggle" in:title repo:acme/webapp' });
    assert.equal(none.data.total_count, 0);
  }],
  ['negated label and author:', async () => {
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: 'dark mode repo:acme/webapp -label:bug author:octocat' });
    assert.deepEqual(data.items.map((i) => i.title), ['Add dark mode to settings']);
  }],
  ['is:pr finds pull requests only, sorted by created ascending', async () => {
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: 'repo:acme/webapp is:pr', sort: 'created', order: 'asc' });
    assert.ok(data.items.length >= 1);
    assert.ok(data.items.every((i) => i.pull_request));
  }],
  ['sort by created descending puts the newest first', async () => {
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: 'repo:acme/webapp label:ui', sort: 'created', order: 'desc' });
    assert.deepEqual(data.items.map((i) => i.title), ['Add dark mode to settings', 'Dark mode flickers on Safari']);
  }],
  ['assignee: qualifier', async () => {
    await gh.rest.issues.create({ ...repo, title: 'Assigned search target', assignees: ['monalisa'] });
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: 'repo:acme/webapp assignee:monalisa "search target"' });
    assert.deepEqual(data.items.map((i) => i.title), ['Assigned search target']);
  }],
  ['a missing q is a 422', async () => {
    const err = await rejects(() => gh.request('GET /search/issues'));
    assert.equal(err.status, 422);
  }],
  ['search repositories by name and owner', async () => {
    const { data } = await gh.rest.search.repos({ q: 'webapp user:acme' });
    assert.deepEqual(data.items.map((r) => r.full_name), ['acme/webapp']);
    const hello = await gh.rest.search.repos({ q: 'hello', sort: 'stars' });
    assert.equal(hello.data.items[0].full_name, 'octocat/hello-world');
  }],
  ['issue search reports search_type and octokit.paginate still yields the items', async () => {
    const { data } = await gh.rest.search.issuesAndPullRequests({ q: 'repo:acme/webapp is:issue', per_page: 2 });
    assert.equal(data.search_type, 'lexical');
    const all = await gh.paginate(gh.rest.search.issuesAndPullRequests, { q: 'repo:acme/webapp is:issue', per_page: 2 });
    assert.equal(all.length, data.total_count);
    assert.ok(all.every((i) => typeof i.number === 'number'));
  }],
  ['search requests count against the search rate limit', async () => {
    const { headers } = await gh.rest.search.repos({ q: 'webapp' });
    assert.equal(headers['x-ratelimit-resource'], 'search');
    assert.equal(headers['x-ratelimit-limit'], '30');
  }],
]);
