import { describe, expect, it } from 'vitest';
import { at, contextAt, signIn } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { checkAccessToken } from '../auth/check';
import { randomId } from '../ids';
import { describeEnding } from '../text/endings';
import { endAllMemberSessions, endMemberSession } from './member-sessions';

/**
 * Ending a member's sessions as an admin, through lib: the answers and the ended device's notice.
 * Who may end whose sessions (L7) is the store's, tested in test/store/revoke.test.ts.
 */
describe('an admin ends a member’s session', () => {
  it('ends one session with reason admin, records the acting admin, and the device is told why', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const member = await signIn(org.member.email, now, { label: 'Checked laptop' });
    expect(await endMemberSession(await contextAt(at(now, 1)), org.asAdmin, member.sessionId)).toEqual({ ok: true });

    expect(await sessionRow(member.sessionId)).toMatchObject({ revokedReason: 'admin', revokedElsewhere: false });
    expect((await sessionRow(org.member.phoneSessionId)).revokedAt).toBeNull();
    const event = (await selectRows('SELECT * FROM security_events WHERE session_id = $1 ORDER BY id', [member.sessionId])).at(-1);
    expect(event).toMatchObject({ type: 'admin_revoked', userId: org.member.userId, orgId: org.orgId, actorUserId: org.admin.userId });

    const check = await checkAccessToken(await contextAt(at(now, 2)), member.tokens.accessToken);
    expect(check.status).toBe('ended');
    if (check.status !== 'ended') return;
    expect(describeEnding(check.notice).headline).toMatch(/^An admin of .+ ended this session$/);
  });

});

describe('org scope: an admin of org A and the people of org B', () => {
  it('B’s ids get exactly the answers unknown ids get, and nothing in B changes', async () => {
    const now = new Date();
    const a = await orgWithMembers(now);
    const b = await orgWithMembers(now);
    const unknownUser = randomId();
    const unknownSession = randomId();

    const context = await contextAt(now);
    expect(await endMemberSession(context, a.asOwner, b.member.sessionId)).toEqual(await endMemberSession(context, a.asOwner, unknownSession));
    expect(await endAllMemberSessions(context, a.asOwner, b.member.userId)).toEqual(await endAllMemberSessions(context, a.asOwner, unknownUser));
    expect(await endAllMemberSessions(context, a.asOwner, unknownUser)).toEqual({ ok: false, error: 'not_found' });
    expect(await context.store.removeMember(a.asOwner, b.member.userId, now)).toEqual(await context.store.removeMember(a.asOwner, unknownUser, now));
    for (const id of [b.member.sessionId, b.member.phoneSessionId, b.owner.sessionId]) expect((await sessionRow(id)).revokedAt).toBeNull();
    expect(await selectRows("SELECT * FROM security_events WHERE org_id = $1 AND type = 'admin_revoked'", [b.orgId])).toEqual([]);
  });

});
