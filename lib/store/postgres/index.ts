// The PostgreSQL engine: opens the pool, refuses an unmigrated schema, and assembles the Store from the files beside it.
import type { Store } from '../types';
import { findSessionForCheck, touchLastSeen } from './check';
import { addressHistory, createChallenge, findChallenge } from './challenges';
import { openPg, type Pg, type PostgresOptions } from './connection';
import { bindDeviceKey, consumeDeviceChallenge, createDeviceChallenge, findDeviceKey } from './dbsc';
import { findAlertSession, listDevices, renameDevice } from './devices';
import { listActivity } from './activity';
import { answerInvitation, findInvitation } from './invitation-answers';
import { createInvitation, expireInvitations, listInvitations, revokeInvitation } from './invitations';
import { listMembers, listMemberSessions, removeMember } from './members';
import { createOrg, deleteOrg, renameOrg, transferOwnership } from './org-life';
import { assertSchemaCurrent, unreachable } from './migrate';
import { leaveOrg, listUserOrgs, switchSessionOrg } from './orgs';
import { liveSessionsByKid, prune } from './prune';
import { rotateRefresh } from './refresh';
import { revoke } from './revoke';
import { confirmSignIn } from './sign-in';

export { assertSchemaCurrent, createDatabaseIfMissing, migratePostgres, MIGRATIONS_FOLDER } from './migrate';
export type { PostgresOptions } from './connection';
export type { MigrationReport } from './migrate';

/**
 * Opens the PostgreSQL store: a pool (connection.ts), then one round trip that proves the server
 * answers and the schema is current. It never migrates: that is `npm run db:migrate`, a release
 * step. An unreachable server rejects within connectTimeoutMs, with the host and no credentials.
 */
export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const pg = openPg(options);
  try {
    await pg.pool.query('SELECT 1');
  } catch (error) {
    await pg.pool.end().catch(() => {});
    throw unreachable(options.url, error);
  }
  try {
    await assertSchemaCurrent(pg.pool);
  } catch (error) {
    await pg.pool.end().catch(() => {});
    throw error;
  }
  return withDriverErrors(postgresStore(pg));
}

/**
 * Drizzle reports a failed query as "Failed query: <sql> params: <values>", and the values can be
 * an address, an id or an HMAC. Callers log error messages, so what leaves this store is the
 * driver's own error (its message and SQLSTATE, with no bound values) instead.
 */
function withDriverErrors(store: Store): Store {
  const driverError = (error: unknown): unknown =>
    error instanceof Error && error.message.startsWith('Failed query:') && error.cause instanceof Error ? error.cause : error;
  const wrapped = Object.entries(store).map(([name, member]: [string, unknown]) => {
    if (typeof member !== 'function') return [name, member];
    const method = member as (...args: unknown[]) => Promise<unknown>;
    return [name, (...args: unknown[]) => method(...args).catch((error: unknown) => {
      throw driverError(error);
    })];
  });
  // The same members as `store`, each method wrapped without changing its signature.
  return Object.fromEntries(wrapped) as Store;
}

function postgresStore(pg: Pg): Store {
  let closing: Promise<void> | undefined;
  return {
    engine: 'postgres',
    findSessionForCheck: (sessionId) => findSessionForCheck(pg.pool, sessionId),
    touchLastSeen: (sessionId, now, intervalSeconds) => touchLastSeen(pg.pool, sessionId, now, intervalSeconds),
    createChallenge: (challenge, now, budget) => createChallenge(pg, challenge, now, budget),
    findChallenge: (challengeId) => findChallenge(pg, challengeId),
    addressHistory: (email, now) => addressHistory(pg, email, now),
    confirmSignIn: (input, now) => confirmSignIn(pg, input, now),
    rotateRefresh: (input, now) => rotateRefresh(pg, input, now),
    revoke: (scope, reason, now) => revoke(pg, scope, reason, now),
    listDevices: (userId, now, endedSince, endedLimit) => listDevices(pg, userId, now, endedSince, endedLimit),
    renameDevice: (actor, sessionId, label, now) => renameDevice(pg, actor, sessionId, label, now),
    listActivity: (filter, limit) => listActivity(pg, filter, limit),
    findAlertSession: (tokenHash, now) => findAlertSession(pg, tokenHash, now),
    listUserOrgs: (userId) => listUserOrgs(pg, userId),
    switchSessionOrg: (scope, now) => switchSessionOrg(pg, scope, now),
    leaveOrg: (scope, now) => leaveOrg(pg, scope, now),
    listMembers: (orgId, now) => listMembers(pg, orgId, now),
    listMemberSessions: (scope, now) => listMemberSessions(pg, scope, now),
    removeMember: (actor, userId, now) => removeMember(pg, actor, userId, now),
    createOrg: (actor, name, now) => createOrg(pg, actor, name, now),
    renameOrg: (actor, name, now) => renameOrg(pg, actor, name, now),
    transferOwnership: (actor, toUserId, now) => transferOwnership(pg, actor, toUserId, now),
    deleteOrg: (scope, confirmName, now) => deleteOrg(pg, scope, confirmName, now),
    createInvitation: (actor, input, now) => createInvitation(pg, actor, input, now),
    listInvitations: (orgId, now) => listInvitations(pg, orgId, now),
    revokeInvitation: (actor, invitationId, now) => revokeInvitation(pg, actor, invitationId, now),
    findInvitation: (tokenHash, now) => findInvitation(pg, tokenHash, now),
    acceptInvitation: (actor, tokenHash, now) => answerInvitation(pg, actor, tokenHash, 'accepted', now),
    declineInvitation: (actor, tokenHash, now) => answerInvitation(pg, actor, tokenHash, 'declined', now),
    expireInvitations: (scope, now) => expireInvitations(pg, scope, now),
    createDeviceChallenge: (input, now) => createDeviceChallenge(pg, input, now),
    bindDeviceKey: (input, now) => bindDeviceKey(pg, input, now),
    findDeviceKey: (sessionId, now) => findDeviceKey(pg, sessionId, now),
    consumeDeviceChallenge: (sessionId, challenge, now) => consumeDeviceChallenge(pg, sessionId, challenge, now),
    liveSessionsByKid: (now) => liveSessionsByKid(pg, now),
    prune: (options) => prune(pg, options),
    // pg refuses a second end(); closing twice (tests, scripts) is answered by the first.
    close: () => (closing ??= pg.pool.end()),
  };
}
