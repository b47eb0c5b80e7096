// The official Octokit client pointed at the clone: only baseUrl and the route headers change.
import { Octokit } from '@octokit/rest';
import { cloneUrls, routeHeaders, serviceToken } from '../lib.mjs';

// Pass null for an anonymous client.
export function octokit(auth = serviceToken('github')) {
  const client = new Octokit(auth === null ? { baseUrl: cloneUrls.github } : { baseUrl: cloneUrls.github, auth });
  client.hook.before('request', (options) => Object.assign(options.headers, routeHeaders));
  return client;
}

// Runs fn and returns the RequestError it throws (fails when it does not throw).
export async function rejects(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail');
}

export const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
export const unb64 = (text) => Buffer.from(text, 'base64').toString('utf8');
