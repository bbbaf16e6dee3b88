import { describe, expect, it } from 'vitest';
import { DEVICE_LABEL_MAX, describeDevice, normalizeDeviceLabel } from './user-agent';

/**
 * Labels in the ordinary case. W6 (no bidi, zero-width or control characters, NFC, typed or from
 * the User-Agent) is proven in test/security/web.test.ts.
 */
describe('device labels', () => {
  it('ordinary User-Agents keep their usual labels', () => {
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0').label).toBe('Firefox on Windows');
    expect(describeDevice('').label).toBe('Unknown device');
  });

  it(`a typed label is 1 to ${DEVICE_LABEL_MAX} characters after trimming, and only ever a string`, () => {
    expect(normalizeDeviceLabel('  Work laptop  ')).toBe('Work laptop');
    expect(normalizeDeviceLabel('x'.repeat(DEVICE_LABEL_MAX))).toBe('x'.repeat(DEVICE_LABEL_MAX));
    expect(normalizeDeviceLabel('x'.repeat(DEVICE_LABEL_MAX + 1))).toBeNull();
    expect(normalizeDeviceLabel('   ')).toBeNull();
    expect(normalizeDeviceLabel(42)).toBeNull();
    expect(normalizeDeviceLabel(['array'])).toBeNull();
  });
});
