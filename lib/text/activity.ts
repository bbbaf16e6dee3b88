import { invitationDetail } from '../store/events';
import type { SecurityEventType } from '../store/model';
import type { ActivityRow } from '../store/types';

/**
 * The security log in words, for the person it happened to (their security page) or for their
 * org's admins (the org page). The log holds ids, types and labels only (no IPs, no user agents,
 * no tokens), and so do these lines.
 */

export type ActivityEntry = { id: number; type: SecurityEventType; at: string; text: string };
export type ActivityViewpoint = 'user' | 'org';

export function activityInWords(rows: ActivityRow[], viewpoint: ActivityViewpoint): ActivityEntry[] {
  return rows.map((row) => ({ id: row.id, type: row.type, at: row.at, text: describeEvent(row, viewpoint) }));
}

/**
 * One event as a sentence, for the person it happened to or for their org's admins. Devices are
 * named as they were when the event happened, never by today's name (issue 13: history is true).
 */
function describeEvent(row: ActivityRow, viewpoint: ActivityViewpoint): string {
  const device = row.deviceLabel ?? 'a device';
  const org = row.orgName ?? 'an organisation';
  const self = row.actorUserId !== null && row.actorUserId === row.userId;
  const invited = invitationDetail(row.detail);
  const as = invited ? ` as ${invited.role}` : '';
  const address = invited?.email ?? 'someone';
  const renamed = row.detail ? (row.deviceLabel ? `${row.deviceLabel} to ${row.detail}` : `a device to ${row.detail}`) : 'a device';
  const from = row.deviceLabel ? ` from ${row.deviceLabel}` : '';
  if (viewpoint === 'user') {
    switch (row.type) {
      case 'sign_in': return `Signed in on ${device}`;
      case 'sign_out': return `Signed out on ${device}`;
      case 'session_revoked': return `Signed out ${device} from another device`;
      case 'other_sessions_revoked': return `Signed out all other devices${from}`;
      case 'all_sessions_revoked': return `Signed out everywhere${from}`;
      case 'session_reported': return `Signed out ${device} from the alert email (reported as not you)`;
      case 'device_renamed': return `Renamed ${renamed}`;
      case 'admin_revoked': return `An admin of ${org} ended your session on ${device}`;
      case 'refresh_reuse_detected': return `Your session on ${device} was ended: an old sign-in token was used again`;
      case 'key_retired': return `Your session on ${device} ended when a signing key was retired`;
      case 'member_added': return `You were added to ${org}${row.detail ? ` as ${row.detail}` : ''}`;
      case 'member_removed': return self ? `You left ${org}` : `You were removed from ${org}`;
      case 'org_switched': return `Switched ${device} to ${org}`;
      case 'invitation_sent': return `${row.actorEmail ?? 'Someone'} invited you to join ${org}${as}`;
      case 'invitation_accepted': return `You accepted an invitation and joined ${org}${as}`;
      case 'invitation_declined': return `You declined an invitation to ${org}`;
      case 'invitation_revoked': return `Your invitation to ${org} was withdrawn`;
      case 'invitation_expired': return `Your invitation to ${org} expired`;
      case 'org_created': return `You created ${org}`;
      case 'org_renamed': return `You renamed an organisation to ${row.detail ?? org}`;
      case 'ownership_transferred': return `You became an owner of ${org}`;
      case 'org_deleted': return self ? `You deleted ${row.detail ?? org}` : `${row.detail ?? org} was deleted by its owner`;
      case 'device_bound': return `${device} is now protected by this device's key`;
      case 'refresh_without_device_key': return `A refresh of ${device} without this device's key was refused (its cookies may have been copied)`;
    }
  }
  const who = row.userEmail ?? 'Someone';
  const by = row.actorEmail ?? 'An admin';
  switch (row.type) {
    case 'sign_in': return `${who} signed in on ${device}`;
    case 'sign_out': return `${who} signed out on ${device}`;
    case 'session_revoked': return `${who} signed out ${device} from another device`;
    case 'other_sessions_revoked': return `${who} signed out all their other devices${from}`;
    case 'all_sessions_revoked': return `${who} signed out everywhere${from}`;
    case 'session_reported': return `${who}'s session on ${device} was ended from the alert email`;
    case 'device_renamed': return `${who} renamed ${renamed}`;
    case 'admin_revoked': return `${by} ended ${who}'s session on ${device}`;
    case 'refresh_reuse_detected': return `${who}'s session on ${device} was ended: an old sign-in token was used again`;
    case 'key_retired': return `${who}'s session on ${device} ended when ${row.detail ? `signing key ${row.detail}` : 'a signing key'} was retired`;
    case 'member_added': return `${by} added ${who}${row.detail ? ` as ${row.detail}` : ''}`;
    case 'member_removed': return self ? `${who} left` : `${by} removed ${who}`;
    case 'org_switched': return `${who} switched ${device} to this organisation`;
    case 'invitation_sent': return `${by} invited ${address}${as}`;
    case 'invitation_accepted': return `${address} accepted the invitation and joined${as}`;
    case 'invitation_declined': return `${address} declined the invitation`;
    case 'invitation_revoked': return `${by} withdrew the invitation to ${address}`;
    case 'invitation_expired': return `The invitation to ${address} expired`;
    case 'org_created': return `${by} created this organisation`;
    case 'org_renamed': return `${by} renamed this organisation to ${row.detail ?? org}`;
    case 'ownership_transferred': return `${by} made ${who} the owner`;
    case 'org_deleted': return `${by} deleted this organisation`;
    case 'device_bound': return `${who}'s session on ${device} is now protected by the device's key`;
    case 'refresh_without_device_key': return `A refresh of ${who}'s session on ${device} without the device's key was refused`;
  }
}
