import type { RefreshDecision } from '../auth/rules';

/**
 * A bound session's refresh token alone no longer refreshes. Both engines apply this after
 * decideRefresh, under the same lock: a live bound session presented without a device proof is
 * refused ('device_bound') whatever its generation says, including an old one. It is not ended:
 * see docs/threat-model.md ("refresh without this device's key"). Ended, expired and unknown
 * sessions keep their own answers.
 */
export function withDeviceBinding(decision: RefreshDecision, bound: boolean, deviceProven: boolean): RefreshDecision | 'device_bound' {
  if (!bound || deviceProven) return decision;
  return decision === 'rotate' || decision === 'grace' || decision === 'replay' ? 'device_bound' : decision;
}
