import { describe, expect, it } from 'vitest';
import { normalizeOrgName, ORG_NAME_MAX } from './org-name';

describe('normalizeOrgName', () => {
  it('keeps what people type, trimmed, NFC, with runs of spaces made one', () => {
    expect(normalizeOrgName('  Acme   Research  ')).toBe('Acme Research');
    expect(normalizeOrgName('Cafe\u0301 Noir')).toBe('Café Noir');
  });

  it('drops controls, bidi overrides and isolates, and zero-width characters', () => {
    expect(normalizeOrgName('Acme\u202e lanigirO\u202c')).toBe('Acme lanigirO');
    expect(normalizeOrgName('A\u200bc\u2066m\u2069e\u0007\u0085')).toBe('Acme');
  });

  it('refuses empty, too long and non-strings', () => {
    for (const bad of ['', '   ', '\u200b', 'x'.repeat(ORG_NAME_MAX + 1), 42, null, undefined]) expect(normalizeOrgName(bad)).toBeNull();
    expect(normalizeOrgName('x'.repeat(ORG_NAME_MAX))).toHaveLength(ORG_NAME_MAX);
  });
});
