// A person's devices as both engines list them: the same columns and the same "ended at", on each dialect's sessions table.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

type Sessions = Record<
  'id' | 'deviceLabel' | 'deviceType' | 'createdAt' | 'lastSeenAt' | 'persistent' | 'refreshExpiresAt' | 'revokedAt' | 'revokedReason' | 'revokedElsewhere' | 'dbscPublicKey',
  AnyColumn
>;

/** A device row's columns, as the engine's own columns, so each keeps its exact column types. */
export type DeviceColumns<S extends Sessions> = {
  id: S['id'];
  label: S['deviceLabel'];
  deviceType: S['deviceType'];
  signedInAt: S['createdAt'];
  lastActiveAt: S['lastSeenAt'];
  persistent: S['persistent'];
  refreshExpiresAt: S['refreshExpiresAt'];
  revokedAt: S['revokedAt'];
  revokedReason: S['revokedReason'];
  revokedElsewhere: S['revokedElsewhere'];
  deviceBound: SQL<boolean>;
};

/** The select projection of the security page's device list, on the engine's sessions table. */
export function deviceColumns<S extends Sessions>(sessions: S): DeviceColumns<S> {
  return {
    id: sessions.id,
    label: sessions.deviceLabel,
    deviceType: sessions.deviceType,
    signedInAt: sessions.createdAt,
    lastActiveAt: sessions.lastSeenAt,
    persistent: sessions.persistent,
    refreshExpiresAt: sessions.refreshExpiresAt,
    revokedAt: sessions.revokedAt,
    revokedReason: sessions.revokedReason,
    revokedElsewhere: sessions.revokedElsewhere,
    // DBSC: bound to a key the browser holds (the key itself never leaves the store).
    deviceBound: sql<boolean>`${sessions.dbscPublicKey} IS NOT NULL`.mapWith(Boolean),
  };
}

/** When a session ended: when it was revoked, or else when it reached its absolute end unrevoked. */
export function sessionEndedAt(sessions: Pick<Sessions, 'revokedAt' | 'refreshExpiresAt'>): SQL<string> {
  return sql<string>`coalesce(${sessions.revokedAt}, ${sessions.refreshExpiresAt})`;
}
