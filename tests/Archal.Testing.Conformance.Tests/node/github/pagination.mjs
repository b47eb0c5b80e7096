// Pagination over a large backlog with octokit.paginate and the Link header.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { octokit } from './client.mjs';

const gh = octokit();
const repo = { owner: 'acme', repo: 'webapp' };

await steps([
  ['the first page carries a Link header with next and last, keeping other parameters', async () => {
    const { data, headers } = await gh.rest.issues.listForRepo({ ...repo, state: 'all', per_page: 50 });
    assert.equal(data.length, 50);
    assert.match(headers.link, /rel="next"/);
    assert.match(headers.link, /rel="last"/);
    assert.match(headers.link, /state=all/);
    assert.match(headers.link, /per_page=50/);
  }],
  ['octokit.paginate walks every page of all issues exactly once', async () => {
    const all = await gh.paginate(gh.rest.issues.listForRepo, { ...repo, state: 'all', per_page: 100 });
    assert.ok(all.length >= 600, `expected at least 600 issues, got ${all.length}`);
    assert.equal(new Set(all.map((i) => i.number)).size, all.length);
    const numbers = all.map((i) => i.number);
    const max = Math.max(...numbers);
    assert.equal(all.length, max, 'every issue number appears once');
  }],
  ['paginate with the default page size and a filter', async () => {
    const open = await gh.paginate(gh.rest.issues.listForRepo, { ...repo, state: 'open' });
    assert.ok(open.length > 30);
    assert.ok(open.every((i) => i.state === 'open'));
  }],
  ['paginate.iterator yields pages of at most per_page items', async () => {
    let pages = 0;
    for await (const response of gh.paginate.iterator(gh.rest.issues.listForRepo, { ...repo, state: 'closed', per_page: 40 })) {
      assert.ok(response.data.length <= 40);
      pages++;
    }
    assert.ok(pages >= 4);
  }],
  ['per_page above 100 is capped at 100', async () => {
    const { data } = await gh.rest.issues.listForRepo({ ...repo, state: 'all', per_page: 500 });
    assert.equal(data.length, 100);
  }],
  ['a page past the end is empty', async () => {
    const { data } = await gh.rest.issues.listForRepo({ ...repo, state: 'all', per_page: 100, page: 99 });
    assert.deepEqual(data, []);
  }],
  ['search results paginate too', async () => {
    const items = await gh.paginate(gh.rest.search.issuesAndPullRequests, { q: 'repo:acme/webapp is:issue label:bug', per_page: 100 });
    assert.ok(items.length > 50);
    assert.ok(items.every((i) => i.labels.some((l) => l.name === 'bug')));
  }],
]);
