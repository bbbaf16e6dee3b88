import { describe, expect, it } from 'vitest';
import { singleCookie } from './cookies';

describe('W3: one session cookie per name, or none', () => {
  it('reads a cookie sent once, wherever it sits in the header', () => {
    expect(singleCookie('signet_at=abc', 'signet_at')).toBe('abc');
    expect(singleCookie('x=1; signet_at=abc.def; y=2', 'signet_at')).toBe('abc.def');
    expect(singleCookie('xsignet_at=1; signet_at_old=2; signet_at=3', 'signet_at')).toBe('3');
  });

  it('treats a cookie sent twice, with equal or different values, as absent', () => {
    expect(singleCookie('signet_at=a; signet_at=a', 'signet_at')).toBeUndefined();
    expect(singleCookie('signet_at=a; x=1; signet_at=b', 'signet_at')).toBeUndefined();
    // Two Cookie headers, as Node joins them.
    expect(singleCookie('signet_at=a; signet_at=b; signet_rt=c', 'signet_at')).toBeUndefined();
    expect(singleCookie('signet_at=a; signet_at=b; signet_rt=c', 'signet_rt')).toBe('c');
  });

  it('an absent header or cookie is undefined', () => {
    expect(singleCookie(null, 'signet_at')).toBeUndefined();
    expect(singleCookie('', 'signet_at')).toBeUndefined();
    expect(singleCookie('other=1', 'signet_at')).toBeUndefined();
  });
});
