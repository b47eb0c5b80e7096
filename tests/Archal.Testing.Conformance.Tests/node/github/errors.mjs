// Errors and protocol details official clients rely on.
import assert from 'node:assert/strict';
import { cloneUrls, routeHeaders, serviceToken, steps } from '../lib.mjs';
import { octokit, rejects } from './client.mjs';

const gh = octokit();
const repo = { owner: 'acme', repo: 'webapp' };

await steps([
  ['no credentials is 401 Requires authentication', async () => {
    const anonymous = octokit(null);
    const err = await rejects(() => anonymous.rest.users.getAuthenticated());
    assert.equal(err.status, 401);
    assert.equal(err.response.data.message, 'Requires authentication');
  }],
  ['a revoked token is 401 Bad credentials', async () => {
    const err = await rejects(() => octokit('ghp_revoked').rest.users.getAuthenticated());
    assert.equal(err.status, 401);
    assert.equal(err.response.data.message, 'Bad credentials');
  }],
  ['unknown issue is 404 with documentation_url', async () => {
    const err = await rejects(() => gh.rest.issues.get({ ...repo, issue_number: 999999 }));
    assert.equal(err.status, 404);
    assert.equal(err.response.data.message, 'Not Found');
    assert.match(err.response.data.documentation_url, /^https:\/\/docs\.github\.com\//);
  }],
  ['unknown route is 404', async () => {
    const err = await rejects(() => gh.request('GET /definitely/not/a/route'));
    assert.equal(err.status, 404);
  }],
  ['rate-limit headers on every response and GET /rate_limit', async () => {
    const { headers } = await gh.rest.repos.get(repo);
    assert.equal(headers['x-ratelimit-limit'], '5000');
    assert.equal(headers['x-ratelimit-resource'], 'core');
    assert.ok(Number(headers['x-ratelimit-remaining']) < 5000);
    assert.ok(Number(headers['x-ratelimit-reset']) > 0);
    assert.ok(headers['x-github-request-id']);
    const { data } = await gh.rest.rateLimit.get();
    assert.equal(data.resources.core.limit, 5000);
    assert.equal(data.rate.used, data.resources.core.used);
  }],
  ['If-None-Match with the etag is a 304', async () => {
    const first = await gh.rest.repos.get(repo);
    assert.ok(first.headers.etag);
    const err = await rejects(() => gh.rest.repos.get({ ...repo, headers: { 'if-none-match': first.headers.etag } }));
    assert.equal(err.status, 304);
  }],
  ['an unsupported X-GitHub-Api-Version is a 400', async () => {
    const err = await rejects(() => gh.rest.repos.get({ ...repo, headers: { 'x-github-api-version': '1999-01-01' } }));
    assert.equal(err.status, 400);
    const ok = await gh.rest.repos.get({ ...repo, headers: { 'x-github-api-version': '2022-11-28' } });
    assert.equal(ok.status, 200);
  }],
  ['wrong types are a 422 naming the property', async () => {
    const err = await rejects(() => gh.request('POST /repos/{owner}/{repo}/issues', { ...repo, title: 'x', labels: 'bug' }));
    assert.equal(err.status, 422);
    assert.match(err.response.data.message, /labels/);
  }],
  ['malformed JSON is a 400 Problems parsing JSON', async () => {
    const response = await fetch(`${cloneUrls.github}/repos/acme/webapp/issues`, {
      method: 'POST',
      headers: { ...routeHeaders, authorization: `token ${serviceToken('github')}`, 'content-type': 'application/json' },
      body: '{"title": ',
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).message, 'Problems parsing JSON');
  }],
  ['an exhausted rate limit is a 403 with remaining 0', async () => {
    const limited = octokit('ghp_limited');
    let err;
    for (let i = 0; i < 5 && !err; i++) {
      try { await limited.rest.repos.get(repo); } catch (e) { err = e; }
    }
    assert.ok(err, 'the limited token must run out');
    assert.equal(err.status, 403);
    assert.equal(err.response.headers['x-ratelimit-remaining'], '0');
    assert.match(err.response.data.message, /API rate limit exceeded/);
  }],
]);
