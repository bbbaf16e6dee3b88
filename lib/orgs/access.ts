/** Who may administer an org and whom they may act on: the rules live in lib/rules. */
export { canManage, isAdminRole, mayGrant, type AdminRole } from '../rules';
export type { OrgActor, OrgError, OrgResult, OrgScope } from '../store/types';
