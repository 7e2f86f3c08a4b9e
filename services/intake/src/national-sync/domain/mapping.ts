import { Channel, DossierStatus } from '@tthc/contracts';
import { z } from 'zod';

const fieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a JSON member name: letters, digits, _')
  .describe('The member name the national endpoint uses');
const path = z.string().regex(/^\/[A-Za-z0-9._~\-/]*$/, 'a path beginning with /');
const nationalStatus = z.number().int().min(1).max(10);

/** One member per value of an enum, each required: a status or channel without a code is refused naming it. */
const codeOf = <K extends string, V extends z.ZodType>(keys: readonly K[], value: V) =>
  z.object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, V>);

/** Our record's members, each named as the national endpoint names it. */
export const NationalFields = z.object({
  code: fieldName,
  procedureCode: fieldName,
  status: fieldName,
  channel: fieldName,
  agency: fieldName,
  receivedAt: fieldName,
  dueAt: fieldName,
  endedAt: fieldName,
  resultNumber: fieldName,
  eResultUrl: fieldName,
  paidOnline: fieldName,
  componentsTotal: fieldName,
  componentsDigitized: fieldName,
  componentsReused: fieldName,
  version: fieldName,
  updatedAt: fieldName,
});
export type NationalFields = z.infer<typeof NationalFields>;

/**
 * How the suite speaks to the national public-service portal (Cổng DVCQG), as data: the paths of
 * the push and query endpoints, the member names, our statuses and channels as the national codes,
 * our agency codes as the national ones, and the date format. A format change on the national side
 * is an edit of this document (PUT /v1/national-sync/mapping), not a release. The base URL and the
 * credentials are configuration (secrets), never here.
 */
export const NationalMapping = z
  .object({
    paths: z.object({
      push: path.describe('POSTed one dossier record per call'),
      query: path.describe('GET with ?agency=&updatedSince=&page= (the reconciliation)'),
    }),
    fields: NationalFields,
    /** The member of the query answer holding the records, and the one holding the next page. */
    query: z.object({ records: fieldName, nextPage: fieldName }),
    statuses: codeOf(DossierStatus.options, nationalStatus).describe(
      'Our status → national status code 1-10',
    ),
    channels: codeOf(Channel.options, z.number().int().min(1).max(9)).describe(
      'Our channel → national channel code',
    ),
    agencies: z
      .record(z.string().min(1).max(35), z.string().min(1).max(60))
      .describe('Our agency code → the national agency code, where they differ'),
    unmappedAgency: z
      .enum(['as_is', 'refuse'])
      .describe(
        'An agency missing from `agencies`: sent with its own code, or refused (recorded on the dossier)',
      ),
    dateFormat: z
      .enum(['iso', 'yyyyMMddHHmmss'])
      .describe('yyyyMMddHHmmss: Việt Nam local time, as the portal reads it'),
  })
  .superRefine((m, ctx) => {
    const names = Object.values(m.fields);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    for (const n of new Set(twice))
      ctx.addIssue({ code: 'custom', path: ['fields'], message: `member name ${n} used twice` });
  });
export type NationalMapping = z.infer<typeof NationalMapping>;

/**
 * The national mapping in force when this was written (domain.md: the status codes 1-10 and the
 * channel codes 1 direct, 2 online, 3 postal; member names of the portal's dossier sync).
 */
export const CURRENT_NATIONAL_MAPPING: NationalMapping = {
  paths: { push: '/dossiers', query: '/dossiers' },
  fields: {
    code: 'MaHoSo',
    procedureCode: 'MaTTHC',
    status: 'TrangThaiHoSo',
    channel: 'KenhThucHien',
    agency: 'MaCoQuan',
    receivedAt: 'NgayTiepNhan',
    dueAt: 'NgayHenTra',
    endedAt: 'NgayKetThucXuLy',
    resultNumber: 'SoKetQua',
    eResultUrl: 'DuongDanKetQuaDienTu',
    paidOnline: 'ThanhToanTrucTuyen',
    componentsTotal: 'SoThanhPhan',
    componentsDigitized: 'SoThanhPhanSoHoa',
    componentsReused: 'SoThanhPhanTaiSuDung',
    version: 'PhienBan',
    updatedAt: 'NgayCapNhat',
  },
  query: { records: 'data', nextPage: 'nextPage' },
  statuses: {
    submitted: 1,
    received: 2,
    refused: 3,
    processing: 4,
    awaiting_supplement: 5,
    awaiting_payment: 6,
    withdrawn: 7,
    stopped: 8,
    resolved: 9,
    returned: 10,
  },
  channels: { direct: 1, online: 2, postal: 3 },
  agencies: {},
  unmappedAgency: 'as_is',
  dateFormat: 'yyyyMMddHHmmss',
};
