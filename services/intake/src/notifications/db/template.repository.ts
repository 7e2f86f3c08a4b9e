import type { Insertable, Selectable } from 'kysely';
import type { Channel, NotificationTemplateTable, NotifyExecutor } from './notification.schema';

export type TemplateRow = Selectable<NotificationTemplateTable>;

/** The version in force: the highest. */
export async function currentTemplate(
  db: NotifyExecutor,
  event: string,
  channel: Channel,
): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('event', '=', event)
    .where('channel', '=', channel)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function templateVersion(
  db: NotifyExecutor,
  event: string,
  channel: Channel,
  version: number,
): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('event', '=', event)
    .where('channel', '=', channel)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Every template in force, one row per event and channel. */
export async function listCurrentTemplates(db: NotifyExecutor): Promise<TemplateRow[]> {
  return db
    .selectFrom('notification_templates as t')
    .selectAll('t')
    .where(({ eb, selectFrom }) =>
      eb(
        't.version',
        '=',
        selectFrom('notification_templates as u')
          .select((s) => s.fn.max<number>('u.version').as('v'))
          .whereRef('u.event', '=', 't.event')
          .whereRef('u.channel', '=', 't.channel'),
      ),
    )
    .orderBy('t.event')
    .orderBy('t.channel')
    .execute();
}

/** Every version of one template, newest first. */
export async function listTemplateVersions(
  db: NotifyExecutor,
  event: string,
  channel: Channel,
): Promise<TemplateRow[]> {
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('event', '=', event)
    .where('channel', '=', channel)
    .orderBy('version', 'desc')
    .execute();
}

/**
 * Appends the next version. Two editors saving at once compute the same number: the unique key
 * refuses the second (Postgres 23505), which the route reports as a conflict.
 */
export async function appendTemplateVersion(
  db: NotifyExecutor,
  row: Omit<Insertable<NotificationTemplateTable>, 'version' | 'id' | 'created_at'>,
): Promise<TemplateRow> {
  const current = await currentTemplate(db, row.event, row.channel);
  return db
    .insertInto('notification_templates')
    .values({ ...row, version: (current?.version ?? 0) + 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
}
