import Link from 'next/link';
import type { OrgContact } from '@/lib/orgs/members';
import type { MemberSummary } from '@/lib/store/types';
import { ORG_NAME_MAX } from '@/lib/orgs/org-name';
import { ORG_PATH } from './guard';
import { renameOrgAction } from './org-actions';

/** What every member sees (whom to ask, and Leave), and what only owners see (rename, hand over, delete). */

export function ContactsSection({ contacts }: { contacts: OrgContact[] }) {
  return (
    <section className="card" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">Owners and admins</h2>
      <p className="muted">They can see the devices you use in this organisation and sign them out. Nobody here sees your other organisations.</p>
      <ul className="plain">
        {contacts.map((contact) => (
          <li key={contact.email}>
            {contact.email} <span className="muted">({contact.role})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LeaveSection({ orgName, lastOwner }: { orgName: string; lastOwner: boolean }) {
  return (
    <section className="card" aria-labelledby="leave-heading">
      <h2 id="leave-heading">Leave</h2>
      {lastOwner ? (
        <p className="muted">You are the only owner. Hand ownership to another member, or delete the organisation, before you leave.</p>
      ) : (
        <>
          <p className="muted">Its owners and admins stop seeing your devices at once. You keep your account; your devices in it move to your personal organisation.</p>
          <Link className="button" href={`${ORG_PATH}?confirm=leave`}>
            Leave {orgName}
          </Link>
        </>
      )}
    </section>
  );
}

type OwnerProps = { orgName: string; personal: boolean; members: MemberSummary[]; userId: string };

export function OwnerSection({ orgName, personal, members, userId }: OwnerProps) {
  const others = members.filter((member) => member.userId !== userId);
  return (
    <section className="card" aria-labelledby="owner-heading">
      <h2 id="owner-heading">Organisation settings</h2>
      <form action={renameOrgAction}>
        <label htmlFor="org-name">Name</label>
        <input id="org-name" name="name" type="text" required maxLength={ORG_NAME_MAX} defaultValue={orgName} />
        <div className="actions">
          <button type="submit">Rename</button>
        </div>
      </form>
      {!personal && others.length > 0 ? (
        // A plain GET form: it only opens the confirmation, which names the new owner.
        <form method="get" action={ORG_PATH}>
          <input type="hidden" name="confirm" value="transfer" />
          <label htmlFor="new-owner">Hand ownership to</label>
          <select id="new-owner" name="to">
            {others.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.email}
              </option>
            ))}
          </select>
          <div className="actions">
            <button type="submit">Transfer ownership</button>
          </div>
        </form>
      ) : null}
      {!personal ? (
        <div className="actions">
          <Link className="button danger" href={`${ORG_PATH}?confirm=delete`}>
            Delete {orgName}
          </Link>
        </div>
      ) : null}
    </section>
  );
}
