/**
 * What every answer Signet gives must carry (W5), stated here independently of lib/ so a spec
 * proves the requirement rather than echoing the implementation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';

/** The Content-Security-Policy directives by name, each with its sources. */
export function directives(policy: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (policy ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

/** The nonce of a policy's script-src, or null. */
export function nonceOf(policy: string | null): string | null {
  const source = directives(policy).get('script-src')?.find((s) => s.startsWith("'nonce-"));
  return source ? source.slice("'nonce-".length, -1) : null;
}

/** The strict policy: nonce + strict-dynamic scripts, no plugins, no <base>, no framing, forms to self. */
export function expectStrictPolicy(policy: string | null, context = ''): void {
  const found = directives(policy);
  expect(found.get('default-src'), context).toEqual(["'self'"]);
  const scripts = found.get('script-src') ?? [];
  expect(scripts, context).toContain("'strict-dynamic'");
  expect(scripts.filter((s) => s.startsWith("'nonce-")), context).toHaveLength(1);
  expect(nonceOf(policy) ?? '', context).toMatch(/^[A-Za-z0-9+/_-]{22,}={0,2}$/);
  expect(scripts, context).not.toContain("'unsafe-inline'");
  expect(scripts, context).not.toContain("'unsafe-eval'");
  expect(found.get('object-src'), context).toEqual(["'none'"]);
  expect(found.get('base-uri'), context).toEqual(["'none'"]);
  expect(found.get('frame-ancestors'), context).toEqual(["'none'"]);
  expect(found.get('form-action'), context).toEqual(["'self'"]);
}

/** The headers of every Signet response, page or refusal alike. */
export function expectSecurityHeaders(headers: Headers, context = ''): void {
  expect(headers.get('x-frame-options'), context).toBe('DENY');
  expect(headers.get('x-content-type-options'), context).toBe('nosniff');
  expect(headers.get('referrer-policy'), context).toBe('same-origin');
  expect(headers.get('permissions-policy') ?? '', context).toContain('camera=()');
  expect(headers.get('cross-origin-opener-policy'), context).toBe('same-origin');
  expectStrictPolicy(headers.get('content-security-policy'), context);
}

/**
 * Every route template of the app with a dynamic segment (`/settings/org/members/[userId]`), read
 * from app/ so a route added later is walked too.
 */
export function dynamicRoutes(appDir = path.resolve('app')): string[] {
  const routes: string[] = [];
  const walk = (dir: string, segments: string[]): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name]);
      else if (/^(page|route)\.tsx?$/.test(entry.name) && segments.some((s) => s.startsWith('['))) routes.push(`/${segments.join('/')}`);
    }
  };
  walk(appDir, []);
  return routes;
}

/** Percent-encodings that decode to no valid UTF-8 (or are not encodings at all). */
export const MALFORMED_SEGMENTS = ['%ff', '%c0%af', '%E0%A4%A', '%', '%zz', '%ed%a0%80', 'abc%80', '%%30'];
