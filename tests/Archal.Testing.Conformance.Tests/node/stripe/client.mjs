// Builds an unmodified stripe-node client aimed at the Stripe clone.
//
// stripe-node 23 has host/port/protocol options but no base-path option (its basePath is fixed to /v1/) and no
// default-headers option. So the client gets the clone's host, port and protocol, and a custom httpClient made
// with Stripe.createFetchHttpClient whose fetch function (1) inserts the clone's base path
// (/runtime/{session}/stripe/api) before /v1/... and (2) adds the route headers (x-route-authorization).
// The SDK itself is untouched.
import Stripe from 'stripe';
import { cloneUrls, routeHeaders, serviceToken } from '../lib.mjs';

export const apiBase = new URL(cloneUrls.stripe);
const basePath = apiBase.pathname.replace(/\/$/, '');

export function routedFetch(hooks = {}) {
  return async (url, init) => {
    const target = new URL(url);
    target.pathname = basePath + target.pathname;
    // stripe-node passes headers as [name, value] pairs; Headers accepts every HeadersInit form.
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(routeHeaders)) headers.set(name, value);
    const request = { url: target.toString(), init: { ...init, headers } };
    hooks.onRequest?.(request);
    const response = await fetch(request.url, request.init);
    return hooks.onResponse ? hooks.onResponse(response, request) : response;
  };
}

export function createStripe(options = {}, hooks = {}) {
  const { key, ...config } = options;
  return new Stripe(key ?? serviceToken('stripe'), {
    host: apiBase.hostname,
    port: apiBase.port || (apiBase.protocol === 'https:' ? 443 : 80),
    protocol: apiBase.protocol.replace(':', ''),
    httpClient: Stripe.createFetchHttpClient(routedFetch(hooks)),
    maxNetworkRetries: 0,
    ...config,
  });
}

export { Stripe };
