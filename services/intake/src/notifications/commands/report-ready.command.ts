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
 * A scheduled report is ready (the reports service's report.ready event): the owner of its
 * schedule gets an officer message on the channels of their contact (the agency's switches
 * applied), written in the transaction that records the event as applied, so a redelivered
 * event sends nothing twice. An owner without an active contact gets nothing, and that is logged.
 */
export async function createReportReadyMessages(
  db: NotifyExecutor,
  deps: { clock: () => Date; logger: Logger },
  event: TypedEvent<'report.ready'>,
): Promise<number> {
  const p = event.payload;
  const contact = await findOfficerContact(db, p.owner);
  if (!contact?.active) {
    deps.logger.warn(
      { reportId: p.reportId, owner: p.owner },
      'the owner of a report schedule has no active contact: not told the report is ready',
    );
    return 0;
  }
  const agencyCode = p.agencyCode ?? contact.agency_code;
  return createOfficerMessages(db, {
    now: deps.clock(),
    event: 'report_ready',
    agencyCode,
    dossier: null,
    dedupePrefix: `report_ready:${p.reportId}`,
    data: {
      reportTitle: p.title,
      period: p.periodLabel,
      agency: p.agencyCode ?? 'toàn tỉnh',
      version: String(p.version),
      formats: p.formats.map((f) => FORMAT_NAMES[f] ?? f).join(', '),
      link: p.href,
    },
    recipients: [{ contact, role: 'officer' }],
    switches: await switchesFor(db, [agencyCode, 'default']),
  });
}
