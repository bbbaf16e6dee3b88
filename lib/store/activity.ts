// The security log as both engines read it back: the same columns, joins, filter and order, on each dialect's tables.
import { desc, eq, type AnyColumn, type SQL } from 'drizzle-orm';

/** The tables a log read joins: the events, the person and the actor (two aliases of users), the org. */
export type ActivityTables = {
  securityEvents: Record<'id' | 'type' | 'createdAt' | 'detail' | 'userId' | 'actorUserId' | 'orgId' | 'deviceLabel', AnyColumn>;
  subject: Record<'id' | 'email', AnyColumn>;
  actor: Record<'id' | 'email', AnyColumn>;
  orgs: Record<'id' | 'name', AnyColumn>;
};

type Events<T extends ActivityTables> = T['securityEvents'];

/** What a log row shows, as columns of the engine's own tables, so each keeps its exact column types. */
export type ActivityColumns<T extends ActivityTables> = {
  id: Events<T>['id'];
  type: Events<T>['type'];
  at: Events<T>['createdAt'];
  detail: Events<T>['detail'];
  userId: Events<T>['userId'];
  actorUserId: Events<T>['actorUserId'];
  userEmail: T['subject']['email'];
  actorEmail: T['actor']['email'];
  orgName: T['orgs']['name'];
  deviceLabel: Events<T>['deviceLabel'];
};

/** The select projection of a log read, on the engine's tables. */
export function activityColumns<T extends ActivityTables>(tables: T): ActivityColumns<T> {
  const events: Events<T> = tables.securityEvents;
  return {
    id: events.id,
    type: events.type,
    at: events.createdAt,
    detail: events.detail,
    userId: events.userId,
    actorUserId: events.actorUserId,
    userEmail: tables.subject.email,
    actorEmail: tables.actor.email,
    orgName: tables.orgs.name,
    // The label kept with the event, never the session's label of today: history is not rewritten.
    deviceLabel: events.deviceLabel,
  };
}

/** The left joins' conditions: an event may name no person, no actor or no org. */
export function activityJoins({ securityEvents, subject, actor, orgs }: ActivityTables): Record<'subject' | 'actor' | 'org', SQL> {
  return {
    subject: eq(subject.id, securityEvents.userId),
    actor: eq(actor.id, securityEvents.actorUserId),
    org: eq(orgs.id, securityEvents.orgId),
  };
}

/** A person's (`userId`) or an org's (`orgId`) events. */
export function activityOf({ securityEvents }: ActivityTables, filter: { userId: string } | { orgId: string }): SQL {
  return 'userId' in filter ? eq(securityEvents.userId, filter.userId) : eq(securityEvents.orgId, filter.orgId);
}

/** Newest first; the id breaks ties between events of the same instant. */
export function newestFirst({ securityEvents }: ActivityTables): SQL[] {
  return [desc(securityEvents.createdAt), desc(securityEvents.id)];
}
