// Repository setup as an agent does it: create, inspect, configure, label, plan milestones.
import assert from 'node:assert/strict';
import { steps } from '../lib.mjs';
import { octokit, rejects } from './client.mjs';

const gh = octokit();
let repo;

await steps([
  ['create a repository for the authenticated user with a README', async () => {
    const { status, data } = await gh.rest.repos.createForAuthenticatedUser({ name: 'agent-sandbox', description: 'Scratch space', auto_init: true });
    assert.equal(status, 201);
    assert.equal(data.full_name, 'octocat/agent-sandbox');
    assert.equal(data.private, false);
    assert.equal(data.default_branch, 'main');
    assert.ok(data.url.startsWith(process.env.AGENT_CLONE_URLS ? JSON.parse(process.env.AGENT_CLONE_URLS).github : ''));
    repo = data;
  }],
  ['a second repository with the same name is a 422 with errors[]', async () => {
    const err = await rejects(() => gh.rest.repos.createForAuthenticatedUser({ name: 'agent-sandbox' }));
    assert.equal(err.status, 422);
    assert.equal(err.response.data.errors[0].resource, 'Repository');
    assert.equal(err.response.data.errors[0].field, 'name');
  }],
  ['get and update the repository', async () => {
    const { data } = await gh.rest.repos.get({ owner: 'octocat', repo: 'agent-sandbox' });
    assert.equal(data.id, repo.id);
    assert.equal(data.node_id, repo.node_id);
    const updated = await gh.rest.repos.update({ owner: 'octocat', repo: 'agent-sandbox', description: 'Agent playground', has_wiki: false, private: true });
    assert.equal(updated.data.description, 'Agent playground');
    assert.equal(updated.data.has_wiki, false);
    assert.equal(updated.data.visibility, 'private');
  }],
  ['list repositories for the authenticated user', async () => {
    const { data } = await gh.rest.repos.listForAuthenticatedUser({ per_page: 100 });
    assert.ok(data.some((r) => r.full_name === 'octocat/agent-sandbox'));
  }],
  ['create, update and list labels', async () => {
    const created = await gh.rest.issues.createLabel({ owner: 'octocat', repo: 'agent-sandbox', name: 'priority: high', color: 'b60205', description: 'Do first' });
    assert.equal(created.status, 201);
    const renamed = await gh.rest.issues.updateLabel({ owner: 'octocat', repo: 'agent-sandbox', name: 'priority: high', new_name: 'p1' });
    assert.equal(renamed.data.name, 'p1');
    const { data } = await gh.rest.issues.listLabelsForRepo({ owner: 'octocat', repo: 'agent-sandbox', per_page: 100 });
    assert.ok(data.some((l) => l.name === 'p1' && l.color === 'b60205'));
    const dup = await rejects(() => gh.rest.issues.createLabel({ owner: 'octocat', repo: 'agent-sandbox', name: 'P1' }));
    assert.equal(dup.status, 422);
    assert.equal(dup.response.data.errors[0].code, 'already_exists');
  }],
  ['create and close a milestone', async () => {
    const { data } = await gh.rest.issues.createMilestone({ owner: 'octocat', repo: 'agent-sandbox', title: 'Sprint 1', due_on: '2031-01-31T00:00:00Z' });
    assert.equal(data.number, 1);
    const closed = await gh.rest.issues.updateMilestone({ owner: 'octocat', repo: 'agent-sandbox', milestone_number: 1, state: 'closed' });
    assert.equal(closed.data.state, 'closed');
    const open = await gh.rest.issues.listMilestones({ owner: 'octocat', repo: 'agent-sandbox' });
    assert.equal(open.data.length, 0);
  }],
  ['create an organization repository and list the organization', async () => {
    const { data } = await gh.rest.repos.createInOrg({ org: 'acme', name: 'agent-org-repo', private: true });
    assert.equal(data.owner.login, 'acme');
    const list = await gh.rest.repos.listForOrg({ org: 'acme', per_page: 100 });
    assert.ok(list.data.some((r) => r.name === 'agent-org-repo'));
  }],
  ['a private repository is a 404 to a user without access', async () => {
    const stranger = octokit('ghp_mona_dev');
    const err = await rejects(() => stranger.rest.repos.get({ owner: 'acme', repo: 'infra' }));
    assert.equal(err.status, 404);
    assert.equal(err.response.data.message, 'Not Found');
  }],
  ['a new repository has the nine default labels', async () => {
    const { data } = await gh.rest.issues.listLabelsForRepo({ owner: 'octocat', repo: 'agent-sandbox' });
    for (const name of ['bug', 'documentation', 'duplicate', 'enhancement', 'good first issue', 'help wanted', 'invalid', 'question', 'wontfix']) {
      assert.ok(data.some((l) => l.name === name && l.default === true), `default label ${name}`);
    }
  }],
  ['after a rename the old name redirects (301 GET, 307 POST) and fetch follows', async () => {
    const renamed = await gh.rest.repos.update({ owner: 'octocat', repo: 'agent-sandbox', name: 'agent-sandbox-2' });
    assert.equal(renamed.data.full_name, 'octocat/agent-sandbox-2');
    const viaOld = await gh.rest.repos.get({ owner: 'octocat', repo: 'agent-sandbox' });
    assert.equal(viaOld.data.full_name, 'octocat/agent-sandbox-2');
    const issue = await gh.rest.issues.create({ owner: 'octocat', repo: 'agent-sandbox', title: 'filed at the old name' });
    assert.match(issue.data.repository_url, /agent-sandbox-2$/);
    const back = await gh.rest.repos.update({ owner: 'octocat', repo: 'agent-sandbox-2', name: 'agent-sandbox' });
    assert.equal(back.data.full_name, 'octocat/agent-sandbox');
  }],
  ['delete the repository', async () => {
    const { status } = await gh.rest.repos.delete({ owner: 'octocat', repo: 'agent-sandbox' });
    assert.equal(status, 204);
    const err = await rejects(() => gh.rest.repos.get({ owner: 'octocat', repo: 'agent-sandbox' }));
    assert.equal(err.status, 404);
  }],
]);
