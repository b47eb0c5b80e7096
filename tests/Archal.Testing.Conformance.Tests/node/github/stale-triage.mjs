// A stale-issue sweep on the stale-issues seed: find old open issues without keep-open, comment, close.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { octokit } from './client.mjs';

const gh = octokit();
const repo = { owner: 'acme', repo: 'webapp' };
const cutoff = new Date(Date.now() - 60 * 24 * 3600 * 1000).toISOString().slice(0, 10);
let stale;

await steps([
  ['search finds old open issues without keep-open', async () => {
    stale = await gh.paginate(gh.rest.search.issuesAndPullRequests, { q: `repo:acme/webapp is:issue is:open updated:<${cutoff} -label:keep-open`, per_page: 100 });
    assert.ok(stale.length >= 10, `expected stale issues, got ${stale.length}`);
    assert.ok(stale.every((i) => !i.labels.some((l) => l.name === 'keep-open')));
    assert.ok(stale.every((i) => new Date(i.updated_at) < new Date(cutoff)));
  }],
  ['the repository listing agrees with the search', async () => {
    const open = await gh.paginate(gh.rest.issues.listForRepo, { ...repo, state: 'open', sort: 'updated', direction: 'asc', per_page: 100 });
    const expected = open.filter((i) => !i.pull_request && new Date(i.updated_at) < new Date(cutoff) && !i.labels.some((l) => l.name === 'keep-open'));
    assert.deepEqual(expected.map((i) => i.number).sort((a, b) => a - b), stale.map((i) => i.number).sort((a, b) => a - b));
  }],
  ['label, comment and close each stale issue', async () => {
    for (const issue of stale) {
      await gh.rest.issues.addLabels({ ...repo, issue_number: issue.number, labels: ['stale'] });
      await gh.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'Closing: no activity for 60 days.' });
      await gh.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'not_planned' });
    }
  }],
  ['nothing stale is left open and keep-open issues are untouched', async () => {
    const again = await gh.rest.search.issuesAndPullRequests({ q: `repo:acme/webapp is:issue is:open updated:<${cutoff} -label:keep-open` });
    assert.equal(again.data.total_count, 0);
    const kept = await gh.rest.issues.listForRepo({ ...repo, labels: 'keep-open', state: 'open', per_page: 100 });
    assert.ok(kept.data.length > 0);
    assert.ok(kept.data.every((i) => i.comments === 0 || !i.labels.some((l) => l.name === 'stale')));
  }],
]);
