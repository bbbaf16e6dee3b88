import { NextResponse } from 'next/server';
import type { CookieToSet } from './cookies';
import { escapeHtml } from '../mail/html';

/** Response builders for route handlers: every answer that touches cookies is `no-store`. */

export function withCookies<T extends NextResponse>(response: T, cookies: CookieToSet[]): T {
  for (const cookie of cookies) response.cookies.set(cookie);
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/** A 303 with a relative Location (the browser resolves it against the page's own origin). */
export function seeOther(location: string, headers: Record<string, string> = {}): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store', ...headers } });
}

export function jsonError(status: number, error: string, message: string, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json({ ok: false, error, message }, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

/**
 * A refusal in the form the client reads: JSON for fetch clients, a short HTML page in words for
 * a browser's form post (a person must never be shown raw JSON). For requests no page of Signet
 * sends (another site's form, a malformed body); the everyday failures redirect back to their page.
 */
export function refusal(page: boolean, status: number, error: string, message: string, headers: Record<string, string> = {}): NextResponse {
  if (!page) return jsonError(status, error, message, headers);
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    // No style at all: nothing here for a Content-Security-Policy to refuse.
    '<title>Signet</title></head><body>',
    `<main><h1>Signet could not do that</h1><p role="alert">${escapeHtml(message)}</p><p><a href="/">Go to Signet</a></p></main></body></html>`,
  ].join('');
  return new NextResponse(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });
}

export function crossSiteRefused(page = false): NextResponse {
  return refusal(page, 403, 'cross_site', 'This request did not come from Signet.');
}

/** R2: a store failure denies the request and keeps the cookies; the client may retry. */
export function storeUnavailable(): NextResponse {
  return jsonError(503, 'unavailable', 'Signet cannot reach its session store right now. Nothing was changed; try again shortly.', {
    'Retry-After': '5',
  });
}

export const BODY_ERRORS: Record<400 | 413 | 415, string> = {
  400: 'The request body is not valid.',
  413: 'The request body is too large.',
  415: 'Send a form or a JSON object.',
};
