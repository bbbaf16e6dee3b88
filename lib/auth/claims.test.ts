import { describe, expect, it } from 'vitest';
import { claimSchemas, readClaims, type TokenKind } from './claims';

/**
 * readClaims checks by hand what claimSchemas says in zod. Every variant of a valid payload below
 * (each claim missing, or replaced by values of the wrong type, size or range) must get the same
 * verdict, and the same output, from both.
 */
const valid = (kind: TokenKind): Record<string, unknown> => ({
  iss: 'signet',
  aud: `signet:${kind}`,
  sub: 'user-1',
  jti: 'j'.repeat(24),
  iat: 1_900_000_000,
  exp: 1_900_000_900,
  ...(kind === 'refresh' ? { gen: 3 } : {}),
});

const replacements: unknown[] = [
  undefined,
  null,
  '',
  'signet',
  'signet:access',
  'signet:refresh',
  'x'.repeat(21),
  'x'.repeat(22),
  'x'.repeat(64),
  'x'.repeat(65),
  0,
  -1,
  1.5,
  1_900_000_000,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  true,
  [],
  ['signet:access'],
  {},
  { 0: 'a' },
];

function variants(kind: TokenKind): Array<[string, unknown]> {
  const base = valid(kind);
  const list: Array<[string, unknown]> = [['valid', base]];
  for (const claim of ['iss', 'aud', 'sub', 'jti', 'iat', 'exp', 'gen', 'nbf', 'extra']) {
    const { [claim]: _dropped, ...without } = base;
    list.push([`${claim} missing`, without]);
    replacements.forEach((value, i) => list.push([`${claim} = replacement ${i}`, { ...base, [claim]: value }]));
  }
  list.push(['an array', [base]], ['a string', 'payload'], ['null', null], ['a number', 7]);
  return list;
}

describe('claims: readClaims agrees with the zod schemas', () => {
  for (const kind of ['access', 'refresh'] as const) {
    it(`${kind}: same verdict and output on ${variants(kind).length} payloads`, () => {
      let accepted = 0;
      for (const [label, payload] of variants(kind)) {
        const zod = claimSchemas[kind].safeParse(payload);
        const mine = readClaims(kind, payload);
        expect({ label, accepted: mine !== null }).toEqual({ label, accepted: zod.success });
        if (zod.success) {
          accepted += 1;
          expect(mine).toEqual(zod.data);
        }
      }
      expect(accepted).toBeGreaterThan(5); // the valid payload and harmless variants (e.g. an extra claim) pass
    });
  }

  it('the other kind’s valid payload is refused by each', () => {
    expect(readClaims('access', valid('refresh'))).toBeNull();
    expect(readClaims('refresh', valid('access'))).toBeNull();
  });
});
