import { getEnv } from '../env';

/** Helpers for the HTTP edges: origin checks, bounded body reading, safe redirects. */

export const MAX_FORM_BYTES = 16 * 1024;

/**
 * The origin this app answers on: SIGNET_ORIGIN when set (always in production). Otherwise the
 * Host the browser addressed, which a cross-site page cannot choose (the dev server may rewrite
 * request.url to localhost while the browser is on 127.0.0.1).
 */
export function appOrigin(request: Request): string {
  const url = new URL(request.url);
  return appOriginFor(request.headers, url.protocol) ?? url.origin;
}

/** appOrigin for code that sees only the request headers (server actions); null without a Host. */
export function appOriginFor(headers: Headers, protocol: string): string | null {
  const configured = getEnv().SIGNET_ORIGIN;
  if (configured) return configured.replace(/\/$/, '');
  const host = headers.get('host');
  return host ? `${protocol.replace(/:?$/, ':')}//${host}` : null;
}

/**
 * CSRF defence for state-changing routes and server actions (W2). Browsers send Origin on every
 * POST and Sec-Fetch-Site on every request; either one naming another site (or `Origin: null`) is
 * refused. A request with neither comes from a non-browser client, which carries no ambient cookies.
 */
export function isCrossSite(headers: Headers, origin: string | null): boolean {
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return true;
  const sent = headers.get('origin');
  if (sent === null) return false;
  return sent !== origin;
}

export function isCrossSiteRequest(request: Request): boolean {
  return isCrossSite(request.headers, appOrigin(request));
}

/**
 * True for a browser's form post (a top-level navigation): it gets a page or a redirect in words,
 * never JSON. A client that asks for JSON (`Accept: application/json`) gets JSON whatever else it
 * sends; so does one that sends neither sign of a page.
 */
export function isNavigation(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  if (/\bapplication\/json\b/.test(accept) && !accept.includes('text/html')) return false;
  return request.headers.get('sec-fetch-mode') === 'navigate' || accept.includes('text/html');
}

/** `path` with these query parameters (those undefined left out), for redirects back to a page. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export type FormReadResult = { ok: true; form: URLSearchParams } | { ok: false; status: 400 | 413 | 415 };

/**
 * Reads a url-encoded form (or a flat JSON object of strings) of at most `maxBytes`, without
 * buffering more than that from a lying or absent Content-Length.
 */
export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<FormReadResult> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json') return { ok: false, status: 415 };
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return { ok: false, status: 413 };
  const text = await readBounded(request, maxBytes);
  if (text === null) return { ok: false, status: 413 };
  if (type === 'application/x-www-form-urlencoded') return { ok: true, form: new URLSearchParams(text) };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, status: 400 };
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') form.set(key, value);
      else if (typeof value === 'boolean') form.set(key, value ? 'on' : '');
      else return { ok: false, status: 400 };
    }
    return { ok: true, form };
  } catch {
    return { ok: false, status: 400 };
  }
}

async function readBounded(request: Request, maxBytes: number): Promise<string | null> {
  const bytes = await readBodyUpTo(request, maxBytes);
  return bytes === null ? null : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/**
 * A request's whole body, or null as soon as it grows past `maxBytes`, however it was sent (a
 * Content-Length can lie or be absent: chunked bodies are counted as they arrive).
 */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * A same-origin path to go to after signing in. Anything else (absolute URLs, `//host`,
 * backslashes, control characters) falls back to `/`, so `next` cannot become an open redirect.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 512 || !next.startsWith('/') || next.startsWith('//')) return '/';
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  try {
    const url = new URL(next, 'http://signet.invalid');
    if (url.origin !== 'http://signet.invalid') return '/';
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Dot segments normalise '/.//host' to '//host', which a browser reads as another origin.
    return path.startsWith('//') ? '/' : path;
  } catch {
    return '/';
  }
}
