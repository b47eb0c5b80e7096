// Branch → file change → pull request → review → merge, and GitHub's errors around merging.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { b64, octokit, rejects, unb64 } from './client.mjs';

const gh = octokit();
const reviewer = octokit('ghp_hubot');
const repo = { owner: 'acme', repo: 'webapp' };
let pr;
let fileSha;

await steps([
  ['create a branch from main', async () => {
    const branch = await gh.rest.repos.getBranch({ ...repo, branch: 'main' });
    const main = await gh.rest.git.getRef({ ...repo, ref: 'heads/main' });
    assert.equal(branch.data.commit.sha, main.data.object.sha);
    const { status, data } = await gh.rest.git.createRef({ ...repo, ref: 'refs/heads/fix-typo', sha: main.data.object.sha });
    assert.equal(status, 201);
    assert.equal(data.object.sha, main.data.object.sha);
    const branches = await gh.rest.repos.listBranches({ ...repo });
    assert.ok(branches.data.some((b) => b.name === 'fix-typo'));
  }],
  ['read a file, change it on the branch with its sha', async () => {
    const { data } = await gh.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'fix-typo' });
    assert.equal(data.type, 'file');
    assert.equal(data.encoding, 'base64');
    const text = unb64(data.content);
    assert.match(text, /webapp/);
    const updated = await gh.rest.repos.createOrUpdateFileContents({ ...repo, path: 'README.md', branch: 'fix-typo',
      message: 'Fix typo in README', content: b64(text + '\nFixed.\n'), sha: data.sha });
    assert.equal(updated.status, 200);
    assert.notEqual(updated.data.content.sha, data.sha);
    fileSha = updated.data.content.sha;
  }],
  ['a stale sha is a 409 conflict', async () => {
    const err = await rejects(() => gh.rest.repos.createOrUpdateFileContents({ ...repo, path: 'README.md', branch: 'fix-typo',
      message: 'stale', content: b64('x'), sha: '0000000000000000000000000000000000000000' }));
    assert.equal(err.status, 409);
    assert.match(err.response.data.message, /does not match/);
  }],
  ['add a new file on the branch', async () => {
    const created = await gh.rest.repos.createOrUpdateFileContents({ ...repo, path: 'docs/CHANGELOG.md', branch: 'fix-typo',
      message: 'Add changelog', content: b64('# Changelog\n') });
    assert.equal(created.status, 201);
    const commits = await gh.rest.repos.listCommits({ ...repo, sha: 'fix-typo', per_page: 2 });
    assert.equal(commits.data[0].commit.message, 'Add changelog');
    assert.equal(commits.data[1].commit.message, 'Fix typo in README');
    const one = await gh.rest.repos.getCommit({ ...repo, ref: commits.data[0].sha });
    assert.deepEqual(one.data.files.map((f) => [f.filename, f.status]), [['docs/CHANGELOG.md', 'added']]);
  }],
  ['open a pull request; it shares the issue number sequence', async () => {
    const { status, data } = await gh.rest.pulls.create({ ...repo, title: 'Fix README typo', head: 'fix-typo', base: 'main', body: 'Small fix' });
    assert.equal(status, 201);
    assert.equal(data.state, 'open');
    assert.equal(data.head.ref, 'fix-typo');
    const asIssue = await gh.rest.issues.get({ ...repo, issue_number: data.number });
    assert.ok(asIssue.data.pull_request, 'the PR is also an issue with pull_request');
    const next = await gh.rest.issues.create({ ...repo, title: 'after the PR' });
    assert.equal(next.data.number, data.number + 1);
    pr = data;
  }],
  ['a second PR for the same head is a 422', async () => {
    const err = await rejects(() => gh.rest.pulls.create({ ...repo, title: 'again', head: 'fix-typo', base: 'main' }));
    assert.equal(err.status, 422);
    assert.match(err.response.data.errors[0].message, /already exists/);
  }],
  ['request a reviewer, who approves', async () => {
    const requested = await gh.rest.pulls.requestReviewers({ ...repo, pull_number: pr.number, reviewers: ['hubot'] });
    assert.equal(requested.status, 201);
    assert.deepEqual(requested.data.requested_reviewers.map((u) => u.login), ['hubot']);
    const review = await reviewer.rest.pulls.createReview({ ...repo, pull_number: pr.number, event: 'APPROVE', body: 'LGTM' });
    assert.equal(review.data.state, 'APPROVED');
    const reviews = await gh.rest.pulls.listReviews({ ...repo, pull_number: pr.number });
    assert.deepEqual(reviews.data.map((r) => [r.user.login, r.state]), [['hubot', 'APPROVED']]);
    const own = await rejects(() => gh.rest.pulls.createReview({ ...repo, pull_number: pr.number, event: 'APPROVE' }));
    assert.equal(own.status, 422);
  }],
  ['the PR is mergeable and lists its commits and files count', async () => {
    const { data } = await gh.rest.pulls.get({ ...repo, pull_number: pr.number });
    assert.equal(data.mergeable, true);
    assert.equal(data.merged, false);
    assert.equal(data.commits, 2);
    assert.equal(data.changed_files, 2);
    const files = await gh.rest.pulls.listFiles({ ...repo, pull_number: pr.number });
    assert.deepEqual(files.data.map((f) => [f.filename, f.status]), [['README.md', 'modified'], ['docs/CHANGELOG.md', 'added']]);
    const commits = await gh.rest.pulls.listCommits({ ...repo, pull_number: pr.number });
    assert.deepEqual(commits.data.map((c) => c.commit.message), ['Fix typo in README', 'Add changelog']);
    const check = await rejects(() => gh.rest.pulls.checkIfMerged({ ...repo, pull_number: pr.number }));
    assert.equal(check.status, 404);
  }],
  ['merging with a sha that is not the head is a 409', async () => {
    const err = await rejects(() => gh.rest.pulls.merge({ ...repo, pull_number: pr.number, sha: pr.base.sha }));
    assert.equal(err.status, 409);
  }],
  ['merge the PR', async () => {
    const { status, data } = await gh.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'merge' });
    assert.equal(status, 200);
    assert.equal(data.merged, true);
    assert.match(data.sha, /^[0-9a-f]{40}$/);
    const merged = await gh.rest.pulls.get({ ...repo, pull_number: pr.number });
    assert.equal(merged.data.state, 'closed');
    assert.equal(merged.data.merged, true);
    assert.equal(merged.data.merge_commit_sha, data.sha);
    assert.equal(merged.data.merged_by.login, 'octocat');
    assert.equal((await gh.rest.pulls.checkIfMerged({ ...repo, pull_number: pr.number })).status, 204);
  }],
  ['main now has the change', async () => {
    const { data } = await gh.rest.repos.getContent({ ...repo, path: 'README.md' });
    assert.equal(data.sha, fileSha);
    assert.match(unb64(data.content), /Fixed\./);
    const log = await gh.rest.repos.listCommits({ ...repo, per_page: 1 });
    assert.equal(log.data[0].parents.length, 2);
  }],
  ['merging twice is a 405 and reopening a merged PR is a 422', async () => {
    const twice = await rejects(() => gh.rest.pulls.merge({ ...repo, pull_number: pr.number }));
    assert.equal(twice.status, 405);
    assert.equal(twice.response.data.message, 'Pull Request is not mergeable');
    const reopen = await rejects(() => gh.rest.pulls.update({ ...repo, pull_number: pr.number, state: 'open' }));
    assert.equal(reopen.status, 422);
    assert.equal(reopen.response.data.message, 'Validation Failed');
  }],
  ['a PR with no new commits is a 422', async () => {
    const main = await gh.rest.git.getRef({ ...repo, ref: 'heads/main' });
    await gh.rest.git.createRef({ ...repo, ref: 'refs/heads/empty', sha: main.data.object.sha });
    const err = await rejects(() => gh.rest.pulls.create({ ...repo, title: 'nothing', head: 'empty', base: 'main' }));
    assert.equal(err.status, 422);
    assert.match(err.response.data.errors[0].message, /No commits between main and empty/);
  }],
  ['delete the merged branch and a file', async () => {
    assert.equal((await gh.rest.git.deleteRef({ ...repo, ref: 'heads/fix-typo' })).status, 204);
    const file = await gh.rest.repos.getContent({ ...repo, path: 'docs/CHANGELOG.md' });
    const removed = await gh.rest.repos.deleteFile({ ...repo, path: 'docs/CHANGELOG.md', message: 'Drop changelog', sha: file.data.sha });
    assert.equal(removed.data.content, null);
    const gone = await rejects(() => gh.rest.repos.getContent({ ...repo, path: 'docs/CHANGELOG.md' }));
    assert.equal(gone.status, 404);
  }],
  ['list pull requests by state', async () => {
    const closed = await gh.rest.pulls.list({ ...repo, state: 'closed' });
    assert.ok(closed.data.some((p) => p.number === pr.number));
    const open = await gh.rest.pulls.list({ ...repo, state: 'open' });
    assert.ok(!open.data.some((p) => p.number === pr.number));
  }],
]);
