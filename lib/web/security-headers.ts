import { randomBytes } from 'node:crypto';
import { getEnv } from '../env';

/**
 * The headers every answer carries (W5). The fixed ones are set by next.config.ts on every path;
 * the Content-Security-Policy (its nonce is new for each request) and HSTS (it depends on the
 * configured origin at run time, not at build time) are set by proxy.ts.
 */
export const FIXED_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
  // No window Signet opens, and none that opens Signet, shares a browsing context group with it.
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/** Two years, subdomains included: Signet is only ever served over https once its origin is. */
const HSTS = 'max-age=63072000; includeSubDomains';

/** A fresh, unguessable nonce: 128 random bits. */
function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The strict policy: scripts only with this request's nonce, and whatever those load
 * ('strict-dynamic', which is how Next's runtime loads its chunks); no plugins, no <base>, no
 * framing, forms only to Signet. `next dev` also needs eval and the inline styles it injects.
 */
function contentSecurityPolicy(nonce: string, options: { https: boolean; development: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    ...(options.development ? ["style-src 'self' 'unsafe-inline'"] : []),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

export type RequestSecurity = { policy: string; hsts: string | null };

/** This request's policy (with a new nonce) and, on an https origin, HSTS. */
export function requestSecurity(): RequestSecurity {
  const env = getEnv();
  const https = env.SIGNET_ORIGIN?.startsWith('https:') ?? false;
  const policy = contentSecurityPolicy(newNonce(), { https, development: env.NODE_ENV === 'development' });
  return { policy, hsts: https ? HSTS : null };
}

/** Puts this request's per-request headers on an answer. */
export function applyRequestSecurity(headers: Headers, security: RequestSecurity): void {
  headers.set('Content-Security-Policy', security.policy);
  if (security.hsts) headers.set('Strict-Transport-Security', security.hsts);
}
