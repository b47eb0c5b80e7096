// Foundation smoke check: a subprocess reaches the GitHub clone through the agent environment.
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { cloneUrls, routeHeaders, serviceToken, steps } from './lib.mjs';

const octokit = new Octokit({ baseUrl: cloneUrls.github, auth: serviceToken('github') });
// Octokit has no default-headers option; the route hop rides on every request through a hook.
octokit.hook.before('request', (options) => Object.assign(options.headers, routeHeaders));

await steps([
  ['GET /user returns the seeded default user', async () => {
    const { status, data } = await octokit.rest.users.getAuthenticated();
    assert.equal(status, 200);
    assert.equal(data.login, 'octocat');
  }],
]);
