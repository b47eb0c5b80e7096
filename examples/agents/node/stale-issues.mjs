// An external agent in another language: reads the hosted harness environment, calls the GitHub clone
// with fetch, prints one JSON object with `text` on stdout (logs go to stderr).
//   dotnet run --project src/Archal.Testing.Cli -- run examples/scenarios/close-stale-issues.md --harness "node examples/agents/node/stale-issues.mjs"
const task = process.env.AGENT_TASK;
if (!task) {
  console.error('Missing AGENT_TASK');
  process.exit(1);
}

const base = JSON.parse(process.env.AGENT_CLONE_URLS).github;
const headers = {
  ...JSON.parse(process.env.AGENT_ROUTE_HEADERS),
  authorization: `Bearer ${process.env.GITHUB_TOKEN ?? 'ghp_example'}`,
  accept: 'application/vnd.github+json',
  'content-type': 'application/json',
};

async function call(method, path, body) {
  const response = await fetch(`${base}/${path}`, { method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(15000) });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
  return { json: await response.json(), date: response.headers.get('date') };
}

const { json: issues, date } = await call('GET', 'repos/acme/webapp/issues?state=open&per_page=100');
const now = date ? new Date(date) : new Date();
const closed = [];
for (const issue of issues) {
  if (issue.pull_request) continue;
  const idleDays = (now - new Date(issue.updated_at)) / 86_400_000;
  if (idleDays < 90 || issue.labels.some(l => l.name === 'keep-open')) continue;
  await call('POST', `repos/acme/webapp/issues/${issue.number}/comments`, {
    body: `Closing: no activity for ${Math.floor(idleDays)} days. Please reopen if this is still relevant.`,
  });
  await call('PATCH', `repos/acme/webapp/issues/${issue.number}`, { state: 'closed', state_reason: 'not_planned' });
  closed.push(`#${issue.number}`);
  console.error(`closed #${issue.number}`);
}

console.log(JSON.stringify({ text: `Closed ${closed.length} stale issues: ${closed.join(', ')}` }));
