// Shared helpers for conformance scripts: read the agent environment the harness sets.
export const cloneUrls = JSON.parse(process.env.AGENT_CLONE_URLS ?? '{}');
export const routeHeaders = JSON.parse(process.env.AGENT_ROUTE_HEADERS ?? '{}');

// The service token each clone's agent environment exports under the conventional name.
const tokenVariables = { github: 'GITHUB_TOKEN', slack: 'SLACK_BOT_TOKEN', stripe: 'STRIPE_API_KEY' };

export function serviceToken(clone) {
  const name = tokenVariables[clone];
  const token = process.env[name];
  if (!token) throw new Error(`${name} is not set`);
  return token;
}

// Runs named steps in order; prints each; exits 1 with the failing step's error.
export async function steps(list) {
  for (const [name, fn] of list) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (err) {
      console.error(`not ok - ${name}`);
      console.error(err?.stack ?? err);
      process.exit(1);
    }
  }
}
