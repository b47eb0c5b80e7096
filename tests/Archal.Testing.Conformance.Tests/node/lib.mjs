// Shared helpers for conformance scripts: read the agent environment the harness sets.
export const cloneUrls = JSON.parse(process.env.AGENT_CLONE_URLS ?? '{}');
export const routeHeaders = JSON.parse(process.env.AGENT_ROUTE_HEADERS ?? '{}');

export function serviceToken(clone) {
  const token = process.env[`${clone.toUpperCase()}_SERVICE_TOKEN`];
  if (!token) throw new Error(`${clone.toUpperCase()}_SERVICE_TOKEN is not set`);
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
