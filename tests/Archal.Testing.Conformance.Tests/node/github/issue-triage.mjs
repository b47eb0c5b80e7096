// Issue triage: file, label, comment, assign, close as not planned, filter the list.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { octokit, rejects } from './client.mjs';

const gh = octokit();
const repo = { owner: 'acme', repo: 'webapp' };
let issue;

await steps([
  ['create an issue with labels and an assignee', async () => {
    const { status, data } = await gh.rest.issues.create({ ...repo, title: 'Login button does nothing', body: 'Clicking it has no effect. cc @hubot', labels: ['bug'], assignees: ['hubot'] });
    assert.equal(status, 201);
    assert.equal(data.state, 'open');
    assert.deepEqual(data.labels.map((l) => l.name), ['bug']);
    assert.equal(data.assignee.login, 'hubot');
    assert.equal(data.user.login, 'octocat');
    issue = data;
  }],
  ['creating an issue without a title is 422 missing_field', async () => {
    const err = await rejects(() => gh.request('POST /repos/{owner}/{repo}/issues', { ...repo, body: 'no title' }));
    assert.equal(err.status, 422);
    assert.equal(err.response.data.message, 'Validation Failed');
    assert.deepEqual(err.response.data.errors[0], { resource: 'Issue', field: 'title', code: 'missing_field' });
  }],
  ['add, set and remove labels on the issue', async () => {
    const added = await gh.rest.issues.addLabels({ ...repo, issue_number: issue.number, labels: ['needs-triage', 'help wanted'] });
    assert.deepEqual(added.data.map((l) => l.name).sort(), ['bug', 'help wanted', 'needs-triage']);
    const removed = await gh.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: 'needs-triage' });
    assert.deepEqual(removed.data.map((l) => l.name).sort(), ['bug', 'help wanted']);
    const set = await gh.rest.issues.setLabels({ ...repo, issue_number: issue.number, labels: ['bug'] });
    assert.deepEqual(set.data.map((l) => l.name), ['bug']);
    const missing = await rejects(() => gh.rest.issues.removeLabel({ ...repo, issue_number: issue.number, name: 'nope' }));
    assert.equal(missing.status, 404);
  }],
  ['comment on the issue and edit the comment', async () => {
    const { data } = await gh.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'Reproduced on Chrome.' });
    const edited = await gh.rest.issues.updateComment({ ...repo, comment_id: data.id, body: 'Reproduced on Chrome and Firefox.' });
    assert.equal(edited.data.body, 'Reproduced on Chrome and Firefox.');
    const list = await gh.rest.issues.listComments({ ...repo, issue_number: issue.number });
    assert.equal(list.data.length, 1);
    const fresh = await gh.rest.issues.get({ ...repo, issue_number: issue.number });
    assert.equal(fresh.data.comments, 1);
  }],
  ['list issues filtered by label, assignee, creator and mentioned', async () => {
    const byLabel = await gh.rest.issues.listForRepo({ ...repo, labels: 'bug', per_page: 100 });
    assert.ok(byLabel.data.every((i) => i.labels.some((l) => l.name === 'bug')));
    assert.ok(byLabel.data.some((i) => i.number === issue.number));
    const byAssignee = await gh.rest.issues.listForRepo({ ...repo, assignee: 'hubot', per_page: 100 });
    assert.ok(byAssignee.data.every((i) => i.assignees.some((a) => a.login === 'hubot')));
    const mentioned = await gh.rest.issues.listForRepo({ ...repo, mentioned: 'hubot' });
    assert.deepEqual(mentioned.data.map((i) => i.number), [issue.number]);
    const created = await gh.rest.issues.listForRepo({ ...repo, creator: 'octocat', sort: 'created', direction: 'desc', per_page: 1 });
    assert.equal(created.data[0].number, issue.number);
  }],
  ['add and remove assignees', async () => {
    const added = await gh.rest.issues.addAssignees({ ...repo, issue_number: issue.number, assignees: ['monalisa'] });
    assert.deepEqual(added.data.assignees.map((a) => a.login).sort(), ['hubot', 'monalisa']);
    const removed = await gh.rest.issues.removeAssignees({ ...repo, issue_number: issue.number, assignees: ['hubot'] });
    assert.deepEqual(removed.data.assignees.map((a) => a.login), ['monalisa']);
  }],
  ['close the issue as not planned, then list closed issues', async () => {
    const { data } = await gh.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'not_planned' });
    assert.equal(data.state, 'closed');
    assert.equal(data.state_reason, 'not_planned');
    assert.ok(data.closed_at);
    const closed = await gh.rest.issues.listForRepo({ ...repo, state: 'closed', per_page: 100 });
    assert.ok(closed.data.some((i) => i.number === issue.number));
    const open = await gh.rest.issues.listForRepo({ ...repo, state: 'open', per_page: 100 });
    assert.ok(!open.data.some((i) => i.number === issue.number));
  }],
  ['reopen, lock and unlock the issue', async () => {
    const reopened = await gh.rest.issues.update({ ...repo, issue_number: issue.number, state: 'open' });
    assert.equal(reopened.data.state_reason, 'reopened');
    assert.equal((await gh.rest.issues.lock({ ...repo, issue_number: issue.number, lock_reason: 'too heated' })).status, 204);
    assert.equal((await gh.rest.issues.get({ ...repo, issue_number: issue.number })).data.active_lock_reason, 'too heated');
    assert.equal((await gh.rest.issues.unlock({ ...repo, issue_number: issue.number })).status, 204);
  }],
  ['issues assigned to the authenticated user across visible repositories', async () => {
    await gh.rest.issues.create({ ...repo, title: 'For me', assignees: ['octocat'] });
    const { data } = await gh.rest.issues.list({ per_page: 100 });
    assert.ok(data.some((i) => i.title === 'For me' && i.repository.full_name === 'acme/webapp'));
  }],
]);
