import { describe, expect, it } from 'vitest';
import { DEVICE_LABEL_MAX, describeDevice, normalizeDeviceLabel } from './user-agent';

/**
 * W6: a device label, typed or derived from the User-Agent, is NFC and carries no character that
 * hides text or changes its direction: no bidi controls, no zero-width characters, no C0 or C1
 * controls. "Work \u202Egnp.exe" would otherwise show as "Work exe.png".
 */
const INVISIBLE = [
  ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'], // bidi embeddings and overrides
  ...['\u2066', '\u2067', '\u2068', '\u2069'], // bidi isolates
  ...['\u200E', '\u200F', '\u061C'], // direction marks
  ...['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'], // zero-width and invisible
  ...['\u0000', '\u0007', '\u001B', '\u007F', '\u0080', '\u0085', '\u009B', '\u009F'], // C0, DEL, C1
];
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/u;

describe('W6: typed device labels', () => {
  it('W6: "Work \\u202Egnp.exe" is stored as "Work gnp.exe", which reads as it is', () => {
    expect(normalizeDeviceLabel('Work \u202Egnp.exe')).toBe('Work gnp.exe');
  });

  it.each(INVISIBLE.map((c) => [`U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`, c]))('W6: %s is removed from a typed label', (_name, character) => {
    const label = normalizeDeviceLabel(`Pho${character}ne ${character}2`);
    expect(label).toBe('Phone 2');
  });

  it('W6: tabs, newlines and other separators become one space; the result is trimmed', () => {
    expect(normalizeDeviceLabel('\tWork\r\nlaptop\u2028 \u2029 ')).toBe('Work laptop');
    expect(normalizeDeviceLabel('Work \u0085 \u202E laptop')).toBe('Work laptop');
  });

  it('W6: labels are NFC: a decomposed é is stored composed', () => {
    expect(normalizeDeviceLabel('Caf\u0065\u0301')).toBe('Caf\u00e9');
    expect(normalizeDeviceLabel('Caf\u0065\u0301')?.length).toBe(4);
  });

  it('W6: a label that is nothing but invisible characters is refused, and so is one too long once cleaned', () => {
    expect(normalizeDeviceLabel('\u202E\u200B\u2066 \u0085')).toBeNull();
    expect(normalizeDeviceLabel('a'.repeat(DEVICE_LABEL_MAX))).toBe('a'.repeat(DEVICE_LABEL_MAX));
    expect(normalizeDeviceLabel('a'.repeat(DEVICE_LABEL_MAX + 1))).toBeNull();
    expect(normalizeDeviceLabel(`${'a'.repeat(DEVICE_LABEL_MAX)}\u200B\u200B`)).toBe('a'.repeat(DEVICE_LABEL_MAX));
  });

  it('W6: letters of every script, emoji and their variation selectors are kept', () => {
    for (const label of ['Téléphone', 'هاتف العمل', 'טלפון', '工作电脑', 'Laptop 💻', '❤️ phone']) expect(normalizeDeviceLabel(label)).toBe(label);
  });
});

describe('W6: labels derived from the User-Agent', () => {
  it('W6: a User-Agent carrying controls (as latin-1 bytes or otherwise) yields a clean, NFC label', () => {
    const hostile = [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Fire\u0085fox\u009B/133.0',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Evil\u202Egnp.exe/1.0',
      'Mozilla/5.0 (\u200BWind\u0000ows NT 10.0) Oper\u2066a/99.0',
      'Mozilla/5.0 (compatible; Bot\u00e2\u0080\u00ae/1.0)',
      'Cafe\u0301Browser/1.0 (Linux)',
      '\u202E\u0085',
    ];
    for (const userAgent of hostile) {
      const { label } = describeDevice(userAgent);
      expect(label, JSON.stringify(userAgent)).not.toMatch(FORBIDDEN);
      expect(label).toBe(label.normalize('NFC'));
      expect(label.length).toBeGreaterThan(0);
      expect(label.length).toBeLessThanOrEqual(DEVICE_LABEL_MAX);
    }
  });

  it('ordinary User-Agents keep their usual labels', () => {
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0').label).toBe('Firefox on Windows');
    expect(describeDevice('').label).toBe('Unknown device');
  });
});
