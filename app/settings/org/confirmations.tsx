import { Confirm } from '@/app/components/confirm';
import { param } from '@/app/components/search-params';
import type { PendingInvitation } from '@/lib/orgs/invitations';
import type { MemberSummary } from '@/lib/store/types';
import { ORG_NAME_MAX } from '@/lib/orgs/org-name';
import type { Role } from '@/lib/store/model';
import { revokeInvitationAction } from './actions';
import { ORG_PATH } from './guard';
import { deleteOrgAction, leaveCurrentOrgAction, transferOwnershipAction } from './org-actions';

/** The questions the org page asks once before a destructive action (`?confirm=`). */

export type ConfirmContext = {
  params: Record<string, string | string[] | undefined>;
  orgName: string;
  role: Role;
  personal: boolean;
  members: MemberSummary[];
  invitations: PendingInvitation[];
};

/** The confirmation `?confirm=` asks for, or null when it names nothing this person may do here. */
export function OrgConfirmation({ params, orgName, role, personal, members, invitations }: ConfirmContext) {
  switch (param(params, 'confirm')) {
    case 'leave':
      if (personal) return null;
      return (
        <Confirm question={`Leave ${orgName}?`} action={leaveCurrentOrgAction} yes={`Leave ${orgName}`} cancelHref={ORG_PATH}>
          <p>Its owners and admins will no longer see your devices. This device and your others in it move to your personal organisation. To come back, you need a new invitation.</p>
        </Confirm>
      );
    case 'delete': {
      if (role !== 'owner' || personal) return null;
      const field = (
        <>
          <label htmlFor="confirm-name">Type the organisation’s name, {orgName}, to confirm</label>
          <input id="confirm-name" name="confirmName" type="text" required maxLength={ORG_NAME_MAX} autoComplete="off" />
        </>
      );
      return (
        <Confirm question={`Delete ${orgName}?`} action={deleteOrgAction} fields={field} yes={`Delete ${orgName}`} cancelHref={ORG_PATH}>
          <p>
            Every session in {orgName} ends, for every member, and each device is told why. Pending invitations are withdrawn. Members keep their accounts and
            their personal organisations. This cannot be undone.
          </p>
        </Confirm>
      );
    }
    case 'transfer': {
      const to = members.find((member) => member.userId === param(params, 'to'));
      if (role !== 'owner' || !to) return null;
      const field = <input type="hidden" name="toUserId" value={to.userId} />;
      return (
        <Confirm question={`Make ${to.email} the owner of ${orgName}?`} action={transferOwnershipAction} fields={field} yes={`Yes, make ${to.email} the owner`} cancelHref={ORG_PATH}>
          <p>You become an admin. Only an owner can make you an owner again.</p>
        </Confirm>
      );
    }
    case 'revoke': {
      const invitation = invitations.find((pending) => pending.id === param(params, 'invitation'));
      if (!invitation) return null;
      const field = <input type="hidden" name="invitationId" value={invitation.id} />;
      return (
        <Confirm question={`Revoke the invitation to ${invitation.email}?`} action={revokeInvitationAction} fields={field} yes="Revoke invitation" cancelHref={ORG_PATH}>
          <p>The link in their email stops working. You can invite them again later.</p>
        </Confirm>
      );
    }
    default:
      return null;
  }
}
