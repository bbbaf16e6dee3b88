import type { EndedDevice, LiveDevice } from '@/lib/auth/devices';

export type Status = { kind: 'success' | 'error'; text: string };

export function devicesSignedOut(count: number): string {
  if (count === 0) return 'No other devices were signed in.';
  return `${count} ${count === 1 ? 'device' : 'devices'} signed out`;
}

/** Whether an action answered "ask first" rather than with an outcome. */
export function asksFirst(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'confirm' in result;
}

export const nameOf = (device: { label: string | null }): string => device.label ?? 'Unnamed device';

type Query = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * What a form posted without JavaScript did, from the query its action redirected back with:
 * for the device list, or for "sign out all other devices". Ids name the person's own devices
 * only (anything else finds nothing and says nothing).
 */
export function statusFromQuery(query: Query, live: LiveDevice[], ended: EndedDevice[]): { devices: Status | null; others: Status | null } {
  const renamed = live.find((device) => device.id === one(query.renamed));
  const signedOut = ended.find((device) => device.id === one(query['signed-out']));
  const others = Number(one(query['signed-out-others']));
  return {
    devices: renamed
      ? { kind: 'success', text: `Renamed to ${nameOf(renamed)}.` }
      : signedOut
        ? { kind: 'success', text: `${nameOf(signedOut)} was signed out.` }
        : null,
    others: Number.isInteger(others) && others >= 0 && others < 10_000 ? { kind: 'success', text: devicesSignedOut(others) } : null,
  };
}
