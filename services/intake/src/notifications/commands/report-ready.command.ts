import type { TypedEvent } from '@tthc/contracts';
import type { Logger } from '@tthc/service-kit';
import { findOfficerContact } from '../db/officer-contact.repository';
import type { NotifyExecutor } from '../db/notification.schema';
import { switchesFor } from '../db/settings.repository';
import { createOfficerMessages } from './officer-messages.command';

const FORMAT_NAMES: Record<string, string> = {
  json: 'JSON',
  csv: 'CSV',
  xlsx: 'XLSX',
  docx: 'DOCX',
  pdf: 'PDF',
};

/**
 * The owner of a report schedule gets an officer message on the channels of their contact (the
 * agency's switches applied), written in the transaction that records the event as applied, so a
 * redelivered event sends nothing twice. An owner without an active contact gets nothing, and
 * that is logged.
 */
async function tellOwner(
  db: NotifyExecutor,
  deps: { clock: () => Date; logger: Logger },
  message: {
    event: 'report_ready' | 'report_failed';
    reportId: string;
    owner: string;
    agencyCode: string | null;
    data: Record<string, string>;
  },
): Promise<number> {
  const contact = await findOfficerContact(db, message.owner);
  if (!contact?.active) {
    deps.logger.warn(
      { reportId: message.reportId, owner: message.owner, event: message.event },
      'the owner of a report schedule has no active contact: not told',
    );
    return 0;
  }
  const agencyCode = message.agencyCode ?? contact.agency_code;
  return createOfficerMessages(db, {
    now: deps.clock(),
    event: message.event,
    agencyCode,
    dossier: null,
    dedupePrefix: `${message.event}:${message.reportId}`,
    data: { agency: message.agencyCode ?? 'toàn tỉnh', ...message.data },
    recipients: [{ contact, role: 'officer' }],
    switches: await switchesFor(db, [agencyCode, 'default']),
  });
}

/** A scheduled report is ready (the reports service's report.ready event): its owner is told where to get it. */
export function createReportReadyMessages(
  db: NotifyExecutor,
  deps: { clock: () => Date; logger: Logger },
  event: TypedEvent<'report.ready'>,
): Promise<number> {
  const p = event.payload;
  return tellOwner(db, deps, {
    event: 'report_ready',
    reportId: p.reportId,
    owner: p.owner,
    agencyCode: p.agencyCode,
    data: {
      reportTitle: p.title,
      period: p.periodLabel,
      version: String(p.version),
      formats: p.formats.map((f) => FORMAT_NAMES[f] ?? f).join(', '),
      link: p.href,
    },
  });
}

/** A scheduled report failed for good (report.failed): its owner is told why, so it is not waited for. */
export function createReportFailedMessages(
  db: NotifyExecutor,
  deps: { clock: () => Date; logger: Logger },
  event: TypedEvent<'report.failed'>,
): Promise<number> {
  const p = event.payload;
  return tellOwner(db, deps, {
    event: 'report_failed',
    reportId: p.reportId,
    owner: p.owner,
    agencyCode: p.agencyCode,
    data: {
      reportTitle: p.title,
      period: p.periodLabel,
      version: String(p.version),
      reason: p.reason,
      link: p.href,
    },
  });
}
