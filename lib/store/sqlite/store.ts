// The SQLite Store: one connection, each use case delegated to the file of its noun.
import type { SendBudget, SendOutcome } from '../../rules';
import type { RevokeReason } from '../model';
import type {
  ActivityRow,
  AddressHistory,
  AlertSession,
  BindDeviceKey,
  ChallengeView,
  ConfirmSignIn,
  DeviceBinding,
  DeviceRows,
  InvitationAnswered,
  InvitationSent,
  InvitationView,
  MemberSessions,
  MemberSummary,
  NewChallenge,
  NewDeviceChallenge,
  NewInvitation,
  OrgActor,
  OrgCreated,
  OrgResult,
  OrgScope,
  PendingInvitation,
  PruneCounts,
  PruneOptions,
  Revoked,
  RevokeScope,
  Rotation,
  RotateRefresh,
  SessionActor,
  SessionContext,
  SignedIn,
  Store,
  UserOrg,
} from '../types';
import { listActivity } from './activity';
import { addressHistory, createChallenge, findChallenge } from './challenges';
import { SessionCheck } from './check';
import type { Connection } from './connection';
import { bindDeviceKey, consumeDeviceChallenge, createDeviceChallenge, findDeviceKey } from './dbsc';
import { findAlertSession, listDevices, renameDevice } from './devices';
import { liveSessionsByKid } from './keys';
import { answerInvitation, findInvitation } from './invitation-answers';
import { createInvitation, expireInvitations, listInvitations, revokeInvitation } from './invitations';
import { listMembers, listMemberSessions, removeMember } from './members';
import { createOrg, deleteOrg, renameOrg, transferOwnership } from './org-life';
import { prune } from './prune';
import { RefreshRotation } from './refresh';
import { revoke } from './revoke';
import { confirmSignIn } from './sign-in';
import { leaveOrg, listUserOrgs, switchSessionOrg } from './user-orgs';

/**
 * Store on one better-sqlite3 connection (busy_timeout = 0). Reads run directly: in WAL mode
 * they never wait for a writer. Every write takes the lock through lock.ts, which waits for it
 * asynchronously. The methods are `async` so that a synchronous SQLite error becomes a rejection.
 */
export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly check: SessionCheck;
  private readonly refresh: RefreshRotation;

  /** The connection, for tests and benchmarks that look underneath (pragmas, a second writer). */
  constructor(readonly connection: Connection) {
    this.check = new SessionCheck(connection.db);
    this.refresh = new RefreshRotation(connection);
  }

  async findSessionForCheck(sessionId: string): Promise<SessionContext | null> {
    return this.check.find(sessionId);
  }
  async touchLastSeen(sessionId: string, now: Date, intervalSeconds: number): Promise<'written' | 'not_due' | 'busy'> {
    return this.check.touchLastSeen(sessionId, now, intervalSeconds);
  }

  createChallenge(challenge: NewChallenge, now: Date, budget: SendBudget): Promise<SendOutcome> {
    return createChallenge(this.connection, challenge, now, budget);
  }
  async findChallenge(challengeId: string): Promise<ChallengeView | null> {
    return findChallenge(this.connection.db, challengeId);
  }
  async addressHistory(email: string, now: Date): Promise<AddressHistory> {
    return addressHistory(this.connection.db, email, now);
  }
  confirmSignIn(input: ConfirmSignIn, now: Date): Promise<SignedIn | null> {
    return confirmSignIn(this.connection, input, now);
  }

  rotateRefresh(input: RotateRefresh, now: Date): Promise<Rotation> {
    return this.refresh.run(input, now);
  }
  revoke(scope: RevokeScope, reason: RevokeReason, now: Date): Promise<Revoked> {
    return revoke(this.connection, scope, reason, now);
  }

  async listDevices(userId: string, now: Date, endedSince: Date, endedLimit: number): Promise<DeviceRows> {
    return listDevices(this.connection.db, userId, now, endedSince, endedLimit);
  }
  renameDevice(actor: { userId: string; orgId: string }, sessionId: string, label: string, now: Date): Promise<boolean> {
    return renameDevice(this.connection, actor, sessionId, label, now);
  }
  async listActivity(filter: { userId: string } | { orgId: string }, limit: number): Promise<ActivityRow[]> {
    return listActivity(this.connection.db, filter, limit);
  }

  createDeviceChallenge(input: NewDeviceChallenge, now: Date): Promise<boolean> {
    return createDeviceChallenge(this.connection, input, now);
  }
  bindDeviceKey(input: BindDeviceKey, now: Date): Promise<DeviceBinding> {
    return bindDeviceKey(this.connection, input, now);
  }
  findDeviceKey(sessionId: string, now: Date): Promise<string | null> {
    return findDeviceKey(this.connection.db, sessionId, now);
  }
  consumeDeviceChallenge(sessionId: string, challenge: string, now: Date): Promise<boolean> {
    return consumeDeviceChallenge(this.connection, sessionId, challenge, now);
  }

  async findAlertSession(tokenHash: string, now: Date): Promise<AlertSession | null> {
    return findAlertSession(this.connection.db, tokenHash, now);
  }

  async listUserOrgs(userId: string): Promise<UserOrg[]> {
    return listUserOrgs(this.connection.db, userId);
  }
  switchSessionOrg(scope: OrgScope, now: Date): Promise<OrgResult> {
    return switchSessionOrg(this.connection, scope, now);
  }
  leaveOrg(scope: OrgScope, now: Date): Promise<OrgResult> {
    return leaveOrg(this.connection, scope, now);
  }
  async listMembers(orgId: string, now: Date): Promise<MemberSummary[]> {
    return listMembers(this.connection.db, orgId, now);
  }
  async listMemberSessions(scope: { orgId: string; userId: string }, now: Date): Promise<MemberSessions | null> {
    return listMemberSessions(this.connection.db, scope, now);
  }
  removeMember(actor: OrgActor, userId: string, now: Date): Promise<OrgResult> {
    return removeMember(this.connection, actor, userId, now);
  }

  createOrg(actor: SessionActor, name: string, now: Date): Promise<OrgCreated> {
    return createOrg(this.connection, actor, name, now);
  }
  renameOrg(actor: OrgActor, name: string, now: Date): Promise<OrgResult> {
    return renameOrg(this.connection, actor, name, now);
  }
  transferOwnership(actor: OrgActor, toUserId: string, now: Date): Promise<OrgResult> {
    return transferOwnership(this.connection, actor, toUserId, now);
  }
  deleteOrg(scope: OrgScope, confirmName: string, now: Date): Promise<OrgResult> {
    return deleteOrg(this.connection, scope, confirmName, now);
  }

  createInvitation(actor: OrgActor, input: NewInvitation, now: Date): Promise<InvitationSent> {
    return createInvitation(this.connection, actor, input, now);
  }
  async listInvitations(orgId: string, now: Date): Promise<PendingInvitation[]> {
    return listInvitations(this.connection.db, orgId, now);
  }
  revokeInvitation(actor: OrgActor, invitationId: string, now: Date): Promise<OrgResult> {
    return revokeInvitation(this.connection, actor, invitationId, now);
  }
  async findInvitation(tokenHash: string, now: Date): Promise<InvitationView | null> {
    return findInvitation(this.connection.db, tokenHash, now);
  }
  acceptInvitation(actor: SessionActor, tokenHash: string, now: Date): Promise<InvitationAnswered> {
    return answerInvitation(this.connection, actor, tokenHash, 'accepted', now);
  }
  declineInvitation(actor: SessionActor, tokenHash: string, now: Date): Promise<InvitationAnswered> {
    return answerInvitation(this.connection, actor, tokenHash, 'declined', now);
  }
  expireInvitations(scope: { orgId: string } | { all: true }, now: Date): Promise<number> {
    return expireInvitations(this.connection, scope, now);
  }

  async liveSessionsByKid(now: Date): Promise<Map<string, number>> {
    return liveSessionsByKid(this.connection.db, now);
  }
  prune(options: PruneOptions): Promise<PruneCounts> {
    return prune(this.connection, options);
  }
  async close(): Promise<void> {
    if (this.connection.sqlite.open) this.connection.sqlite.close();
  }
}
