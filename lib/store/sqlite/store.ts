// The SQLite Store: one connection, each use case delegated to the file of its noun.
import type { RevokeReason, Role } from '../model';
import type {
  ActivityRow,
  ConfirmSignIn,
  DeviceRows,
  MemberSessions,
  MemberSummary,
  NewChallenge,
  OrgActor,
  OrgResult,
  OrgScope,
  PruneCounts,
  PruneOptions,
  Revoked,
  RevokeScope,
  Rotation,
  RotateRefresh,
  SessionContext,
  SignedIn,
  Store,
  UserOrg,
} from '../types';
import { listActivity } from './activity';
import { createChallenge, openChallengeEmail } from './challenges';
import { SessionCheck } from './check';
import type { Connection } from './connection';
import { listDevices, renameDevice } from './devices';
import { liveSessionsByKid } from './keys';
import { addMember, listMembers, listMemberSessions, removeMember } from './members';
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

  createChallenge(challenge: NewChallenge, now: Date): Promise<boolean> {
    return createChallenge(this.connection, challenge, now);
  }
  async openChallengeEmail(challengeId: string, now: Date): Promise<string | null> {
    return openChallengeEmail(this.connection.db, challengeId, now);
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
  addMember(actor: OrgActor, input: { email: string; role: Role }, now: Date): Promise<OrgResult> {
    return addMember(this.connection, actor, input, now);
  }
  removeMember(actor: OrgActor, userId: string, now: Date): Promise<OrgResult> {
    return removeMember(this.connection, actor, userId, now);
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
