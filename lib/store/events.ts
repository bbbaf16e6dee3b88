import { roles, type RevokeReason, type Role, type SecurityEventType } from './model';
import type { RevokeScope } from './types';

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
};

/** A session a revocation ended, as the log needs it. */
export type EndedSession = { id: string; userId: string; orgId: string; deviceLabel: string | null };

/** Whether a revocation is a sign-out from another of the person's devices (they are told so). */
export function endedElsewhere(scope: RevokeScope): boolean {
  if (scope.kind === 'other_sessions') return true;
  return scope.kind === 'session' && scope.fromSessionId !== null && scope.fromSessionId !== scope.sessionId;
}

/** The security events one revocation writes, in the same transaction as the revocation. */
export function revocationEvents(scope: RevokeScope, reason: RevokeReason, ended: EndedSession[]): SecurityEvent[] {
  switch (scope.kind) {
    case 'session':
      return ended.map((session) => ({
        type: endedElsewhere(scope) ? 'session_revoked' : 'sign_out',
        userId: session.userId,
        orgId: session.orgId,
        sessionId: session.id,
        actorUserId: scope.fromSessionId === null ? null : scope.userId,
        detail: session.deviceLabel,
      }));
    case 'other_sessions':
      if (ended.length === 0) return [];
      return [
        {
          type: 'other_sessions_revoked',
          userId: scope.userId,
          orgId: scope.orgId,
          sessionId: scope.keepSessionId,
          actorUserId: scope.userId,
          detail: String(ended.length),
        },
      ];
    case 'org_session':
    case 'org_member':
      return ended.map((session) => ({
        type: 'admin_revoked',
        userId: session.userId,
        orgId: scope.actor.orgId,
        sessionId: session.id,
        actorUserId: scope.actor.userId,
        detail: session.deviceLabel,
      }));
    case 'key':
      return ended.map((session) => ({
        type: reason === 'rotation' ? 'key_retired' : 'session_revoked',
        userId: session.userId,
        orgId: session.orgId,
        sessionId: session.id,
        detail: scope.kid,
      }));
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
