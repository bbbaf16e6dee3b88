import type { InvitationStatus, Role } from './model';

/** The org side of the store interface (types.ts): who acts on which org, and what comes back. */

/** The signed-in person acting on their session's org. */
export type OrgActor = { userId: string; orgId: string };
/** A person acting on one of their own orgs from one of their sessions. */
export type OrgScope = { userId: string; sessionId: string; orgId: string };
/** A signed-in person acting from one of their sessions (creating an org, answering an invitation). */
export type SessionActor = { userId: string; sessionId: string };

export type OrgError =
  | 'not_found' // unknown ids, other orgs' ids and "you may not administer this org" alike
  | 'forbidden' // an admin acting on an owner, or granting the owner role
  | 'last_owner' // the org would be left without an owner
  | 'already_member'
  | 'already_invited' // a pending invitation for that address exists in this org
  | 'self'
  | 'personal' // nobody else joins a personal org, and it is never left, handed over or deleted
  | 'invite_limit' // the org sent its hourly share of invitations
  | 'create_limit' // the person created their daily share of orgs
  | 'name_mismatch'; // the confirmation did not name the org
export type OrgResult = { ok: true } | { ok: false; error: OrgError };
export type OrgCreated = { ok: true; orgId: string } | { ok: false; error: OrgError };

export type UserOrg = { orgId: string; name: string; role: Role; personal: boolean };

/** An invitation to store: only the hash of the token the email carries. */
export type NewInvitation = { email: string; role: Role; tokenHash: string; expiresAt: Date };
/**
 * A stored invitation, and whether its email may go out: past the per-address cap it is saved
 * but not sent, with the same answer, so the cap never tells one org about another's invitations.
 */
export type InvitationSent =
  | { ok: true; invitationId: string; sendMail: boolean; orgName: string; inviterEmail: string }
  | { ok: false; error: OrgError };
/** A pending invitation as its org's admins see it. */
export type PendingInvitation = { id: string; email: string; role: Role; invitedByEmail: string; createdAt: string; expiresAt: string; mailed: boolean };
/** What the invitation page shows; `expired` also for a pending one past its end. */
export type InvitationView = { email: string; orgName: string; inviterEmail: string; role: Role; status: InvitationStatus; expiresAt: string };
export type InvitationError = 'not_found' | 'wrong_address' | 'expired' | 'closed';
export type InvitationAnswered = { ok: true; orgId: string } | { ok: false; error: InvitationError };
export type MemberSummary = { userId: string; email: string; role: Role; joinedAt: string; liveSessions: number };
export type MemberSession = { id: string; deviceLabel: string | null; createdAt: string; lastSeenAt: string };
export type MemberSessions = { userId: string; email: string; role: Role; sessions: MemberSession[] };

/** The store's org and invitation use cases; each one's transaction and lock plan live in the engines. */
export interface OrgStore {
  // A person's orgs, and an org's members.
  /** Every org the user belongs to: their personal org first, then by when they joined. */
  listUserOrgs(userId: string): Promise<UserOrg[]>;
  switchSessionOrg(scope: OrgScope, now: Date): Promise<OrgResult>;
  /**
   * The user leaves an org (never their personal one, never as its last owner). Their sessions
   * in it move to their personal org: the org stops seeing them at once, and they stay signed in.
   */
  leaveOrg(scope: OrgScope, now: Date): Promise<OrgResult>;
  listMembers(orgId: string, now: Date): Promise<MemberSummary[]>;
  listMemberSessions(scope: { orgId: string; userId: string }, now: Date): Promise<MemberSessions | null>;
  removeMember(actor: OrgActor, userId: string, now: Date): Promise<OrgResult>;

  // Org life.
  /** A new org owned by the actor, this session moved into it; capped per person per day. */
  createOrg(actor: SessionActor, name: string, now: Date): Promise<OrgCreated>;
  /** Owners rename their org (a personal one too). */
  renameOrg(actor: OrgActor, name: string, now: Date): Promise<OrgResult>;
  /** An owner makes another member the owner and becomes an admin: the org always keeps one. */
  transferOwnership(actor: OrgActor, toUserId: string, now: Date): Promise<OrgResult>;
  /**
   * An owner deletes the org named `confirmName`: pending invitations are revoked, every session
   * in it ends (`org_deleted`) but the acting one, which moves to the owner's personal org, and
   * the members fall back to their own personal orgs.
   */
  deleteOrg(scope: OrgScope, confirmName: string, now: Date): Promise<OrgResult>;

  // Invitations (L10): a membership exists only once the invited person accepts.
  /** Owners and admins invite an address to their org; nothing about whether it has an account changes the answer. */
  createInvitation(actor: OrgActor, input: NewInvitation, now: Date): Promise<InvitationSent>;
  /** The org's pending invitations that have not expired, newest first. */
  listInvitations(orgId: string, now: Date): Promise<PendingInvitation[]>;
  revokeInvitation(actor: OrgActor, invitationId: string, now: Date): Promise<OrgResult>;
  /** The invitation a token's hash names, for its page; null when none does. */
  findInvitation(tokenHash: string, now: Date): Promise<InvitationView | null>;
  /** The invited person, signed in as the invited address, joins the org; this session moves into it. */
  acceptInvitation(actor: SessionActor, tokenHash: string, now: Date): Promise<InvitationAnswered>;
  declineInvitation(actor: SessionActor, tokenHash: string, now: Date): Promise<InvitationAnswered>;
  /** Marks pending invitations past their end as expired, with their events (one org's, or all). */
  expireInvitations(scope: { orgId: string } | { all: true }, now: Date): Promise<number>;
}
