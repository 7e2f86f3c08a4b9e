import { AgencyCode, AuthorityLevel, Channel, OnlineLevel, TimeUnit } from '@tthc/contracts';
import { z } from 'zod';
import { FieldCode } from '../domain/procedure';

/**
 * How a procedure record of the national procedure database (Cơ sở dữ liệu quốc gia về thủ tục
 * hành chính) reads: the names of its properties and the meaning of its codes. It is data, kept
 * in the catalogue's database and replaced through the API, so that a change of the national
 * format or a new agency code is an edit, not a release. The names are those of the national
 * record as published by the national public-service portal's integration guide; the codes
 * those of its category lists (kênh, cấp thực hiện, đối tượng, mức độ, tình trạng).
 */
const Name = z.string().min(1).max(100);

export const NationalNames = z
  .object({
    /** Where the records are in a list answer (`null`: the answer is the list itself). */
    records: Name.nullable(),
    code: Name,
    name: Name,
    fields: Name,
    fieldCode: Name,
    fieldName: Name,
    levels: Name,
    levelCode: Name,
    publishingAgencies: Name,
    implementingAgencies: Name,
    competentAgencies: Name,
    agencyCode: Name,
    agencyName: Name,
    subjects: Name,
    subjectCode: Name,
    steps: Name,
    stepCase: Name,
    stepList: Name,
    methods: Name,
    channelCode: Name,
    times: Name,
    timeValue: Name,
    timeUnit: Name,
    timeNote: Name,
    fees: Name,
    feeName: Name,
    feeAmount: Name,
    components: Name,
    componentCase: Name,
    documents: Name,
    documentName: Name,
    originals: Name,
    copies: Name,
    forms: Name,
    formName: Name,
    conditions: Name,
    results: Name,
    resultName: Name,
    resultElectronic: Name,
    legalBasis: Name,
    legalNumber: Name,
    legalTitle: Name,
    legalIssuedOn: Name,
    legalEffectiveFrom: Name,
    related: Name,
    relatedCode: Name,
    interAgency: Name,
    interAgencyMode: Name,
    participants: Name,
    participantAgency: Name,
    participantOrder: Name,
    participantTask: Name,
    participantTime: Name,
    participantUnit: Name,
    onlineLevel: Name,
    legacyLevel: Name,
    onlinePayment: Name,
    decision: Name,
    decisionNumber: Name,
    decisionSignedOn: Name,
    decisionEffectiveFrom: Name,
    decisionPublishedOn: Name,
    status: Name,
  })
  .strict();
export type NationalNames = z.infer<typeof NationalNames>;

const codeMap = <T extends z.ZodType>(value: T) => z.record(z.string().min(1).max(100), value);

export const NationalMapping = z
  .object({
    /** The national format this mapping reads (free text, shown in previews and pull runs). */
    format: z.string().min(1).max(100),
    names: NationalNames,
    codes: z
      .object({
        channel: codeMap(Channel),
        timeUnit: codeMap(TimeUnit),
        authorityLevel: codeMap(AuthorityLevel),
        applicantType: codeMap(z.enum(['person', 'organisation'])),
        onlineLevel: codeMap(OnlineLevel),
        interAgencyMode: codeMap(z.enum(['sequential', 'parallel'])),
        status: codeMap(z.enum(['in_force', 'abolished'])),
      })
      .strict(),
    /**
     * National field codes (mã lĩnh vực) to the catalogue's field codes. A code not listed is matched
     * to the catalogue's field of the same name (accents and case aside).
     */
    fields: codeMap(FieldCode),
    /**
     * National agency codes to the catalogue's agency codes. A code not listed is taken as it is
     * when the catalogue holds that agency (the electronic agency code is national).
     */
    agencies: codeMap(AgencyCode),
    /**
     * Where the province receives the dossiers of imported procedures (its public administration
     * service centre); `null`: the implementing agency of the record receives them.
     */
    receivingAgencyCode: AgencyCode.nullable(),
  })
  .strict();
export type NationalMapping = z.infer<typeof NationalMapping>;

/** The mapping seeded with the current national format; a province edits its fields and agencies. */
export const DEFAULT_NATIONAL_MAPPING: NationalMapping = {
  format: 'CSDLQG TTHC 2024',
  names: {
    records: 'data',
    code: 'MaTTHC',
    name: 'TenTTHC',
    fields: 'LinhVuc',
    fieldCode: 'MaLinhVuc',
    fieldName: 'TenLinhVuc',
    levels: 'CapThucHien',
    levelCode: 'MaCap',
    publishingAgencies: 'CoQuanCongBo',
    implementingAgencies: 'CoQuanThucHien',
    competentAgencies: 'CoQuanCoThamQuyen',
    agencyCode: 'MaCoQuan',
    agencyName: 'TenCoQuan',
    subjects: 'DoiTuongThucHien',
    subjectCode: 'MaDoiTuong',
    steps: 'TrinhTuThucHien',
    stepCase: 'TruongHop',
    stepList: 'TrinhTu',
    methods: 'CachThucThucHien',
    channelCode: 'MaKenh',
    times: 'ThoiGian',
    timeValue: 'ThoiGianGiaiQuyet',
    timeUnit: 'DonViTinh',
    timeNote: 'MoTa',
    fees: 'PhiLePhi',
    feeName: 'MoTa',
    feeAmount: 'SoTien',
    components: 'ThanhPhanHoSo',
    componentCase: 'TruongHop',
    documents: 'GiayTo',
    documentName: 'TenGiayTo',
    originals: 'SoBanChinh',
    copies: 'SoBanSao',
    forms: 'MauDon',
    formName: 'TenMauDon',
    conditions: 'YeuCauDieuKien',
    results: 'KetQuaThucHien',
    resultName: 'TenKetQua',
    resultElectronic: 'KetQuaDienTu',
    legalBasis: 'CanCuPhapLy',
    legalNumber: 'SoVanBan',
    legalTitle: 'TrichYeu',
    legalIssuedOn: 'NgayBanHanh',
    legalEffectiveFrom: 'NgayHieuLuc',
    related: 'TTHCLienQuan',
    relatedCode: 'MaTTHC',
    interAgency: 'LienThong',
    interAgencyMode: 'HinhThuc',
    participants: 'CoQuanPhoiHop',
    participantAgency: 'MaCoQuan',
    participantOrder: 'ThuTu',
    participantTask: 'NhiemVu',
    participantTime: 'ThoiGian',
    participantUnit: 'DonViTinh',
    onlineLevel: 'MucDoDVC',
    legacyLevel: 'MucDoCu',
    onlinePayment: 'ThanhToanTrucTuyen',
    decision: 'QuyetDinhCongBo',
    decisionNumber: 'SoQuyetDinh',
    decisionSignedOn: 'NgayBanHanh',
    decisionEffectiveFrom: 'NgayHieuLuc',
    decisionPublishedOn: 'NgayCongKhai',
    status: 'TinhTrang',
  },
  codes: {
    channel: { '1': 'direct', '2': 'online', '3': 'postal' },
    timeUnit: {
      'Ngày làm việc': 'working_days',
      'Giờ làm việc': 'working_hours',
      Ngày: 'days',
      'Ngày kể từ ngày nhận đủ hồ sơ': 'days',
      Tháng: 'months',
    },
    authorityLevel: { '1': 'province', '2': 'district', '3': 'commune' },
    applicantType: { '1': 'person', '2': 'organisation', '3': 'person', '4': 'organisation' },
    onlineLevel: { TOAN_TRINH: 'full', MOT_PHAN: 'partial', KHONG: 'none' },
    interAgencyMode: { TUAN_TU: 'sequential', SONG_SONG: 'parallel' },
    status: { '1': 'in_force', '2': 'abolished' },
  },
  fields: {},
  agencies: {},
  receivingAgencyCode: null,
};
