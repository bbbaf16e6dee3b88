import { roles, type RevokeReason, type Role, type SecurityEventType } from './model';
import type { EndedNotice, RevokeScope } from './types';

/**
 * What the security log records, shared by both engines so they write the same events. Callers
 * pass ids and labels only: never IPs, user agents or tokens.
 */
export type SecurityEvent = {
  type: SecurityEventType;
  userId?: string | null;
  orgId?: string | null;
  sessionId?: string | null;
  actorUserId?: string | null;
  detail?: string | null;
  /** The label of the device the event is about, as it is at that moment: history keeps it. */
  deviceLabel?: string | null;
};

/** How an ended session's row records its ending. */
export type Ending = { revokedReason: RevokeReason | null; revokedAt: string | null; revokedElsewhere: boolean; revokedFrom: string | null; orgName: string };

/**
 * Why a session ended, as the signed-out browser is told: the one place a notice is made, from
 * the session's row, for the session check and for a refresh alike. `at` falls back to `now` for
 * an ending the row does not record yet (reuse detected in this very transaction).
 */
export function endedNotice(row: Ending, now: string): EndedNotice {
  return { reason: row.revokedReason ?? 'sign_out', at: row.revokedAt ?? now, elsewhere: row.revokedElsewhere, orgName: row.orgName, from: row.revokedFrom };
}

/** A session a revocation ended, as the log needs it. */
export type EndedSession = { id: string; userId: string; orgId: string; deviceLabel: string | null };

/** Whether a revocation is a sign-out from another of the person's devices (they are told so). */
export function endedElsewhere(scope: RevokeScope): boolean {
  if (scope.kind === 'other_sessions' || scope.kind === 'all_sessions') return true;
  return scope.kind === 'session' && scope.fromSessionId !== null && scope.fromSessionId !== scope.sessionId;
}

/** The person's own session a revocation is done from, whose label the ended devices are told. */
export function actingSessionId(scope: RevokeScope): string | null {
  switch (scope.kind) {
    case 'session':
      return scope.fromSessionId;
    case 'other_sessions':
      return scope.keepSessionId;
    case 'all_sessions':
      return scope.sessionId;
    default:
      return null;
  }
}

/**
 * The security events one revocation writes, in the same transaction as the revocation.
 * `actingLabel`: the label of the session acting (actingSessionId), for the events that name it.
 */
export function revocationEvents(scope: RevokeScope, reason: RevokeReason, ended: EndedSession[], actingLabel: string | null = null): SecurityEvent[] {
  const each = (type: SecurityEventType, extra: Partial<SecurityEvent> = {}): SecurityEvent[] =>
    ended.map((session) => ({ type, userId: session.userId, orgId: session.orgId, sessionId: session.id, deviceLabel: session.deviceLabel, ...extra }));
  switch (scope.kind) {
    case 'session':
      return each(endedElsewhere(scope) ? 'session_revoked' : 'sign_out', { actorUserId: scope.fromSessionId === null ? null : scope.userId }).map(
        (event) => ({ ...event, detail: event.deviceLabel }),
      );
    case 'other_sessions':
    case 'all_sessions': {
      if (ended.length === 0) return [];
      const keep = scope.kind === 'other_sessions' ? scope.keepSessionId : scope.sessionId;
      const type = scope.kind === 'other_sessions' ? 'other_sessions_revoked' : 'all_sessions_revoked';
      return [{ type, userId: scope.userId, orgId: scope.orgId, sessionId: keep, actorUserId: scope.userId, detail: String(ended.length), deviceLabel: actingLabel }];
    }
    case 'org_session':
    case 'org_member':
      return each('admin_revoked', { orgId: scope.actor.orgId, actorUserId: scope.actor.userId }).map((event) => ({ ...event, detail: event.deviceLabel }));
    case 'alert_link':
      return each('session_reported');
    case 'key':
      return each(reason === 'rotation' ? 'key_retired' : 'session_revoked', { detail: scope.kid });
  }
}

/** The rows `events` become in security_events, alike on both engines. */
export function eventRows(events: SecurityEvent[], now: Date) {
  const createdAt = now.toISOString();
  return events.map((event) => ({
    type: event.type,
    userId: event.userId ?? null,
    orgId: event.orgId ?? null,
    sessionId: event.sessionId ?? null,
    actorUserId: event.actorUserId ?? null,
    detail: event.detail ?? null,
    deviceLabel: event.deviceLabel ?? null,
    createdAt,
  }));
}

export type InvitationEventType = Extract<SecurityEventType, `invitation_${string}`>;

/**
 * One step of an invitation, as one row both sides read: the org by `org_id`, the invited person
 * by `user_id` (null while the address has no account). The detail carries the role and the
 * address, so the org's log never has to look the address up among accounts.
 */
export function invitationEvent(
  type: InvitationEventType,
  invitation: { orgId: string; email: string; role: Role },
  people: { inviteeUserId: string | null; actorUserId: string | null },
): SecurityEvent {
  return { type, userId: people.inviteeUserId, orgId: invitation.orgId, actorUserId: people.actorUserId, detail: `${invitation.role} ${invitation.email}` };
}

/** The role and address an invitation event's detail carries; null for anything else. */
export function invitationDetail(detail: string | null): { role: Role; email: string } | null {
  const [word, email, ...rest] = (detail ?? '').split(' ');
  const role = roles.find((known) => known === word);
  if (!role || !email || rest.length > 0) return null;
  return { role, email };
}
