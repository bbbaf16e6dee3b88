import { addSeconds } from '../ids';
import { getStore } from '../store';
import type { RevokeReason } from '../store/model';
import type { DeviceType } from './device';

/**
 * What the security page shows about a person's sessions. Each view carries only an id, the
 * label, times, flags and the reason a session ended: never a token, a fingerprint or a key
 * version, so nothing secret can reach the browser through it.
 */
export type LiveDevice = {
  id: string;
  label: string | null;
  type: DeviceType;
  current: boolean;
  signedInAt: string;
  lastActiveAt: string;
  persistent: boolean;
  /** DBSC: its session is bound to a key this device holds. */
  deviceBound: boolean;
};

/** How a session ended, as the page words it. `expired` reached its end without being revoked. */
export type Ending = 'signed_out' | 'signed_out_elsewhere' | 'admin' | 'rotation' | 'reuse_detected' | 'org_deleted' | 'reported' | 'expired';

export type EndedDevice = { id: string; label: string | null; type: DeviceType; signedInAt: string; endedAt: string; ending: Ending };

export type DeviceList = { live: LiveDevice[]; ended: EndedDevice[] };

export const ENDED_WINDOW_DAYS = 30;
/** Enough to cover any real person's month; bounds the page if something signs in in a loop. */
export const MAX_ENDED_SHOWN = 50;

const ENDINGS_IN_WORDS: Record<Ending, string> = {
  signed_out: 'Signed out',
  signed_out_elsewhere: 'Signed out from another device',
  admin: 'Ended by an org admin',
  rotation: 'Ended when a signing key was retired',
  reuse_detected: 'Ended: its refresh token was reused',
  org_deleted: 'Ended when its organisation was deleted',
  reported: 'Reported from the alert email',
  expired: 'Expired',
};

export function endingInWords(ending: Ending): string {
  return ENDINGS_IN_WORDS[ending];
}

/**
 * `userId`'s live sessions (not revoked, not past their absolute end), the current one first and
 * the rest by last activity, and the sessions that ended in the last 30 days, newest first.
 */
export async function listDevices(userId: string, currentSessionId: string, now: Date): Promise<DeviceList> {
  const since = addSeconds(now, -ENDED_WINDOW_DAYS * 86_400);
  const rows = await (await getStore()).listDevices(userId, now, since, MAX_ENDED_SHOWN);
  const current = rows.live.filter((row) => row.id === currentSessionId);
  const others = rows.live.filter((row) => row.id !== currentSessionId);
  return {
    live: [...current, ...others].map((row) => ({
      id: row.id,
      label: row.label,
      type: row.deviceType ?? deviceTypeFromLabel(row.label),
      current: row.id === currentSessionId,
      signedInAt: row.signedInAt,
      lastActiveAt: row.lastActiveAt,
      persistent: row.persistent,
      deviceBound: row.deviceBound,
    })),
    ended: rows.ended.map((row) => ({
      id: row.id,
      label: row.label,
      type: row.deviceType ?? deviceTypeFromLabel(row.label),
      signedInAt: row.signedInAt,
      endedAt: row.revokedAt ?? row.refreshExpiresAt,
      ending: endingOf(row),
    })),
  };
}

function endingOf(row: { revokedAt: string | null; revokedReason: RevokeReason | null; revokedElsewhere: boolean }): Ending {
  if (!row.revokedAt) return 'expired';
  switch (row.revokedReason) {
    case 'admin':
    case 'rotation':
    case 'reuse_detected':
    case 'org_deleted':
    case 'reported':
      return row.revokedReason;
    default:
      return row.revokedElsewhere ? 'signed_out_elsewhere' : 'signed_out';
  }
}

const MOBILE_SYSTEMS = new Set(['ios', 'android', 'ipados']);
const DESKTOP_SYSTEMS = new Set(['macos', 'windows', 'linux', 'chromeos', 'ubuntu', 'fedora', 'debian']);

/**
 * The coarse device type guessed from a label in describeDevice's "Browser on System" form, for
 * sessions created before sessions.device_type was recorded.
 */
export function deviceTypeFromLabel(label: string | null): DeviceType {
  const system = label ? /\son\s+([A-Za-z]+)$/.exec(label)?.[1]?.toLowerCase() : undefined;
  if (!system) return 'unknown';
  if (MOBILE_SYSTEMS.has(system)) return 'mobile';
  if (DESKTOP_SYSTEMS.has(system)) return 'desktop';
  return 'unknown';
}
