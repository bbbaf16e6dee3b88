import { describe, expect, it } from 'vitest';
import { describeEnding, endingInWords } from './endings';

describe('how a session ended, in words', () => {
  it('words every ending the way the security page lists it', () => {
    expect(endingInWords('signed_out')).toBe('Signed out');
    expect(endingInWords('signed_out_elsewhere')).toBe('Signed out from another device');
    expect(endingInWords('admin')).toBe('Ended by an org admin');
    expect(endingInWords('rotation')).toBe('Ended when a signing key was retired');
    expect(endingInWords('reuse_detected')).toBe('Ended: its refresh token was reused');
    expect(endingInWords('org_deleted')).toBe('Ended when its organisation was deleted');
    expect(endingInWords('reported')).toBe('Reported from the alert email');
    expect(endingInWords('expired')).toBe('Expired');
  });

  it('tells the signed-out device who ended it: another of their devices by name, an org by name', () => {
    const at = '2031-01-01T12:00:00.000Z';
    expect(describeEnding({ reason: 'sign_out', at, elsewhere: true, orgName: 'Acme', from: 'Work laptop' }).headline).toBe('You were signed out from Work laptop');
    expect(describeEnding({ reason: 'sign_out', at, elsewhere: true, orgName: 'Acme', from: null }).headline).toBe('You were signed out from another device');
    expect(describeEnding({ reason: 'admin', at, elsewhere: false, orgName: 'Acme', from: null }).headline).toBe('An admin of Acme ended this session');
    expect(describeEnding({ reason: 'org_deleted', at, elsewhere: false, orgName: 'Acme', from: null }).headline).toMatch(/^Acme was deleted/);
  });
});
