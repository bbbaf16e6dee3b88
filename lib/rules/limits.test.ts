import { describe, expect, it } from 'vitest';
import { addressLimit, explainRefusal } from './limits';

/** C7: which cap an address is over, until when, and why a code was refused, as pure functions. */

const T0 = new Date('2031-01-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const sent = (seconds: number, attempts = 0) => ({ createdAt: at(seconds).toISOString(), attempts });

describe('addressLimit', () => {
  it('C7: under both caps there is no limit', () => {
    expect(addressLimit({ sends: [sent(0), sent(60, 4)], lastSignInAt: null }, at(120))).toBeNull();
  });

  it('C7: the 5th send in the window reaches the send cap, until the oldest of them leaves the 15-minute window', () => {
    const sends = [sent(0), sent(60), sent(120), sent(180), sent(240)];
    expect(addressLimit({ sends, lastSignInAt: null }, at(300))).toEqual({ limit: 'sends', until: at(900) });
    // Six in the window (the store never lets that happen, but the rule holds): the second oldest must leave.
    expect(addressLimit({ sends: [...sends, sent(250)], lastSignInAt: null }, at(300))).toEqual({ limit: 'sends', until: at(960) });
  });

  it('C7: 10 wrong codes since the last sign-in lock the address until enough of them leave the window; the lock wins over the send cap', () => {
    const sends = [sent(0, 5), sent(60, 5)];
    expect(addressLimit({ sends, lastSignInAt: null }, at(120))).toEqual({ limit: 'failures', until: at(900) });
    const five = [sent(0, 4), sent(30, 3), sent(60, 3), sent(90), sent(100)];
    expect(addressLimit({ sends: five, lastSignInAt: null }, at(120))).toEqual({ limit: 'failures', until: at(900) });
    // Failures before the last sign-in do not count.
    expect(addressLimit({ sends, lastSignInAt: at(30).toISOString() }, at(120))).toBeNull();
  });

  it('C7: what has left the window counts for nothing', () => {
    expect(addressLimit({ sends: [sent(0, 5), sent(60, 5)], lastSignInAt: null }, at(961))).toBeNull();
  });
});

describe('explainRefusal', () => {
  const open = { expiresAt: at(600).toISOString(), attempts: 2, consumedAt: null };

  it('C7: a wrong code with tries left says how many', () => {
    expect(explainRefusal(open, null, at(10))).toEqual({ reason: 'wrong', triesLeft: 3 });
  });

  it('C3/C7: after 5 tries the code is used up, whatever the last try was', () => {
    expect(explainRefusal({ ...open, attempts: 5 }, null, at(10))).toEqual({ reason: 'used_up' });
  });

  it('C7: a locked address is said to be locked, with when it lifts', () => {
    expect(explainRefusal(open, { limit: 'failures', until: at(900) }, at(10))).toEqual({ reason: 'address_locked', until: at(900) });
  });

  it('C1: gone, used or past its expiry is expired', () => {
    expect(explainRefusal(null, null, at(10))).toEqual({ reason: 'expired' });
    expect(explainRefusal({ ...open, consumedAt: at(5).toISOString() }, null, at(10))).toEqual({ reason: 'expired' });
    expect(explainRefusal(open, null, at(600))).toEqual({ reason: 'expired' });
  });
});
