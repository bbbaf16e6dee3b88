import { createHash } from 'node:crypto';
import { UAParser } from 'ua-parser-js';

import type { DeviceType } from '../store/model';

export type { DeviceType };
export type DeviceDescription = { label: string; type: DeviceType };

const MAX_UA_LENGTH = 1024;

const BROWSER_NAMES: Record<string, string> = {
  'Mobile Safari': 'Safari',
  'Mobile Firefox': 'Firefox',
  'Chrome WebView': 'Chrome',
  'Chrome Headless': 'Chrome',
  Edge: 'Edge',
};
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS', macOS: 'macOS', iOS: 'iOS', 'Chromium OS': 'ChromeOS' };

/**
 * A human label for a User-Agent ("Firefox on Windows") and a coarse device type. The raw string
 * is parsed here and then dropped: it is never stored or logged.
 */
export function describeDevice(userAgent: string | null | undefined): DeviceDescription {
  const ua = (userAgent ?? '').slice(0, MAX_UA_LENGTH);
  if (!ua) return { label: 'Unknown device', type: 'unknown' };
  const result = new UAParser(ua).getResult();
  const browser = result.browser.name ? (BROWSER_NAMES[result.browser.name] ?? result.browser.name) : undefined;
  const os = result.os.name ? (OS_NAMES[result.os.name] ?? result.os.name) : undefined;
  // The parser's names are ASCII in practice; cleaned all the same, as a typed label is (W6).
  const label = cleanLabel(browser && os ? `${browser} on ${os}` : (browser ?? os ?? '')).slice(0, DEVICE_LABEL_MAX) || 'Unknown device';
  const kind = result.device.type;
  const type: DeviceType = kind === 'mobile' ? 'mobile' : kind === 'tablet' ? 'tablet' : browser || os ? 'desktop' : 'unknown';
  return { label, type };
}

/** SHA-256 of the User-Agent: enough to recognise "this kind of device", nothing more. */
export function deviceFingerprint(userAgent: string | null | undefined): string {
  return createHash('sha256').update((userAgent ?? '').slice(0, MAX_UA_LENGTH)).digest('hex');
}

export const DEVICE_LABEL_MAX = 64;

/** Trims and validates a person-chosen device name (W6); null when empty or too long once cleaned. */
export function normalizeDeviceLabel(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const label = cleanLabel(input);
  if (label.length < 1 || label.length > DEVICE_LABEL_MAX) return null;
  return label;
}

// Format characters (Unicode category Cf): the bidi embeddings, overrides, isolates and marks
// (U+202A–202E, U+2066–2069, U+200E/F, U+061C), zero-width spaces and joiners, the word joiner,
// the BOM, the soft hyphen, invisible operators and tags. Each can hide text or reorder it.
const FORMAT_CHARACTERS = /\p{Cf}/gu;
// What is left of the controls once whitespace is a space: C0, DEL and C1 (category Cc).
const CONTROL_CHARACTERS = /\p{Cc}/gu;

/**
 * A label as it is stored and shown: no character that hides text or changes its direction, any
 * run of whitespace (tabs, line breaks) one space, trimmed, and NFC (last, because removing a
 * character between a letter and its accent can leave them composable).
 */
function cleanLabel(text: string): string {
  const visible = text.replace(FORMAT_CHARACTERS, '').replace(/\s/g, ' ').replace(CONTROL_CHARACTERS, '');
  return visible.replace(/ {2,}/g, ' ').trim().normalize('NFC');
}
