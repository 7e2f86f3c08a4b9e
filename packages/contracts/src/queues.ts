import type { EventType } from './events';

/**
 * Queue names. Events fan out to one queue per subscribing service (BullMQ is a job queue,
 * not a topic); jobs are work one service asks of another inside a BullMQ flow.
 */
export const queues = {
  intakeEvents: 'intake.events',
  /** The intake's own dossier events, turned into citizen messages and officer reminders; scheduled reports ready, into officer messages. */
  intakeNotifications: 'intake.notifications',
  /** The intake's own dossier events, pushed to the national public-service portal (when a province configures it). */
  intakeNationalSync: 'intake.national-sync',
  kpiEvents: 'kpi.events',
  reportsEvents: 'reports.events',
  kpiJobs: 'kpi.jobs',
  /** Questions other services ask the catalogue (a procedure's versions). */
  catalogueJobs: 'catalogue.jobs',
  /** Work other services ask of intake (kpi's reconciliation). */
  intakeJobs: 'intake.jobs',
  reportsRender: 'reports.render',
  /** The reports service's own schedule: a daily tick that requests the reports whose period has closed. */
  reportsSchedules: 'reports.schedules',
} as const;
export type QueueName = (typeof queues)[keyof typeof queues];

/**
 * Queues a service keeps for its own work rather than for messages between services (intake's
 * notification senders, one per channel, and its reminder scan). Named here so that operator
 * views list every queue of the suite.
 */
export const internalQueues = {
  intakeNotifySms: 'intake.notify-sms',
  intakeNotifyEmail: 'intake.notify-email',
  intakeNotifyWebhook: 'intake.notify-webhook',
  intakeNotifyScan: 'intake.notify-scan',
  /** The catalogue's pull of the national procedure database (scheduled and on request). */
  catalogueNationalPull: 'catalogue.national-pull',
  /** The daily comparison of dossier states with the national portal's. */
  intakeNationalReconcile: 'intake.national-reconcile',
} as const;

/** Every queue of the suite, for operators (the queue dashboard). */
export const allQueues: readonly string[] = [...Object.values(queues), ...Object.values(internalQueues)];

/** Routing table: which subscriber queues receive each event type. */
export const eventRoutes: Record<EventType, readonly QueueName[]> = {
  'procedure.published': [queues.intakeEvents, queues.kpiEvents],
  'procedure.changed': [queues.intakeEvents, queues.kpiEvents],
  'procedure.abolished': [queues.intakeEvents, queues.kpiEvents],
  'procedure.suspended': [queues.intakeEvents, queues.kpiEvents],
  'procedure.resumed': [queues.intakeEvents, queues.kpiEvents],
  'dossier.received': [queues.kpiEvents, queues.intakeNotifications, queues.intakeNationalSync],
  'dossier.status_changed': [queues.kpiEvents, queues.intakeNotifications, queues.intakeNationalSync],
  'dossier.supplement_requested': [queues.kpiEvents, queues.intakeNotifications, queues.intakeNationalSync],
  'dossier.supplement_completed': [queues.kpiEvents, queues.intakeNationalSync],
  'dossier.rescheduled': [queues.kpiEvents, queues.intakeNotifications, queues.intakeNationalSync],
  'dossier.resolved': [queues.kpiEvents, queues.intakeNotifications, queues.intakeNationalSync],
  'dossier.returned': [queues.kpiEvents, queues.intakeNotifications, queues.intakeNationalSync],
  'dossier.paid': [queues.kpiEvents, queues.intakeNationalSync],
  'dossier.rated': [queues.kpiEvents, queues.intakeNationalSync],
  'dossier.national_synced': [queues.kpiEvents],
  'report.requested': [queues.reportsEvents],
  'report.ready': [queues.intakeNotifications],
  'report.failed': [queues.intakeNotifications],
  'feedback.received': [queues.kpiEvents],
  'feedback.answered': [queues.kpiEvents],
  'feedback.rated': [queues.kpiEvents],
};

/** The event types a subscriber queue must handle (a consumer refuses to start if it misses one). */
export function eventsRoutedTo(queue: QueueName): EventType[] {
  return (Object.keys(eventRoutes) as EventType[]).filter((t) => eventRoutes[t].includes(queue));
}
