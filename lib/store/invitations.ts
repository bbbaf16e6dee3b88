// Invitations as both engines read them: the same columns, on each dialect's tables.
import type { AnyColumn } from 'drizzle-orm';

type Invitations = Record<'id' | 'email' | 'role' | 'status' | 'createdAt' | 'expiresAt' | 'mailed', AnyColumn>;
type Users = Record<'email', AnyColumn>;
type Orgs = Record<'name', AnyColumn>;

/** A pending invitation as its org's admins list it, as the engine's own columns (exact types kept). */
export type PendingInvitationColumns<I extends Invitations, U extends Users> = {
  id: I['id'];
  email: I['email'];
  role: I['role'];
  invitedByEmail: U['email'];
  createdAt: I['createdAt'];
  expiresAt: I['expiresAt'];
  mailed: I['mailed'];
};

/** The select projection of the admins' list; `inviters` is the users table, joined on invited_by. */
export function pendingInvitationColumns<I extends Invitations, U extends Users>(invitations: I, inviters: U): PendingInvitationColumns<I, U> {
  return {
    id: invitations.id,
    email: invitations.email,
    role: invitations.role,
    invitedByEmail: inviters.email,
    createdAt: invitations.createdAt,
    expiresAt: invitations.expiresAt,
    mailed: invitations.mailed,
  };
}

/** An invitation as the page its link opens shows it. */
export type InvitationViewColumns<I extends Invitations, O extends Orgs, U extends Users> = {
  email: I['email'];
  orgName: O['name'];
  inviterEmail: U['email'];
  role: I['role'];
  status: I['status'];
  expiresAt: I['expiresAt'];
};

/** The select projection of the invited person's page; `inviter` is an alias of users, joined on invited_by. */
export function invitationViewColumns<I extends Invitations, O extends Orgs, U extends Users>(invitations: I, orgs: O, inviter: U): InvitationViewColumns<I, O, U> {
  return {
    email: invitations.email,
    orgName: orgs.name,
    inviterEmail: inviter.email,
    role: invitations.role,
    status: invitations.status,
    expiresAt: invitations.expiresAt,
  };
}
