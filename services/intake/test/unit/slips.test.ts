import { renderSlip, type SlipData, type SlipKind } from '../../src/slips';
import {
  APPLICANT,
  CODE,
  DUE_AT,
  FACTORIES,
  PROCEDURE,
  TRACKING,
  apology,
  controlSheet,
  handover,
  receipt,
  refusal,
  supplementRequest,
} from '../fixtures/slips/factories';
import { type PdfPage, type ReadPdf, encodes, readPdf } from '../fixtures/slips/read-pdf';

const A5 = { width: 419.53, height: 595.28 };
/** The margins the slips promise (layout.ts): text stays inside them. */
const MARGIN = { top: 34, bottom: 36, left: 40, right: 28 };
const KINDS = Object.keys(FACTORIES) as SlipKind[];
const TITLES: Record<SlipKind, string> = {
  receipt: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  supplement_request: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
  refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
  apology: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
  control_sheet: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
};

async function render(data: SlipData): Promise<{ bytes: Buffer; pdf: ReadPdf }> {
  const bytes = await renderSlip(data);
  return { bytes, pdf: await readPdf(bytes) };
}

const rendered = new Map<SlipKind, Promise<{ bytes: Buffer; pdf: ReadPdf }>>();
/** The default slip of a kind, rendered once for the tests that only read it. */
function standard(kind: SlipKind): Promise<{ bytes: Buffer; pdf: ReadPdf }> {
  let slip = rendered.get(kind);
  if (!slip) rendered.set(kind, (slip = render(FACTORIES[kind]())));
  return slip;
}

const count = (text: string, s: string): number => text.split(s).length - 1;

describe('slips of Thông tư 01/2018/TT-VPCP (Mẫu số 01–05)', () => {
  describe.each(KINDS)('%s', (kind) => {
    it('renders a PDF of one A5 portrait page', async () => {
      const { bytes, pdf } = await standard(kind);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.pages).toHaveLength(1);
      const [x0, y0, width, height] = pdf.pages[0]!.view;
      expect([x0, y0]).toEqual([0, 0]);
      expect(width).toBeCloseTo(A5.width, 1);
      expect(height).toBeCloseTo(A5.height, 1);
    });

    it('prints the header block: issuing body in capitals, national motto, place and date, title, dossier code', async () => {
      const { pdf } = await standard(kind);
      const issuerName = kind === 'apology' ? 'SỞ Y TẾ' : 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG';
      const date = kind === 'apology' ? 'ngày 02 tháng 12 năm 2026' : 'ngày 23 tháng 11 năm 2026';
      expect(pdf.text).toContain(`UBND TỈNH QUẢNG NAM ${issuerName}`);
      expect(pdf.text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc');
      expect(pdf.text).toContain(`Quảng Nam, ${date}`);
      expect(pdf.text).toContain(`${TITLES[kind]} Mã hồ sơ: ${CODE}`);
    });

    it('prints the applicant and the procedure with their Vietnamese letters intact', async () => {
      const { pdf } = await standard(kind);
      expect(pdf.text).toContain(APPLICANT);
      expect(pdf.text).toContain(PROCEDURE);
      expect(pdf.text).toBe(pdf.text.normalize('NFC'));
    });

    it('embeds the DejaVu fonts, regular and bold', async () => {
      const { pdf } = await standard(kind);
      expect(pdf.raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSerif\w*-Bold\b/);
      expect(pdf.raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSerif\w*[\s/]/);
      expect(pdf.raw).toContain('/FontFile2');
    });

    it('prints no placeholder for a missing value', async () => {
      const { pdf } = await standard(kind);
      expect(pdf.text).not.toMatch(/undefined|null|NaN|\[object/);
    });
  });

  describe('receipt (Mẫu số 01)', () => {
    it('prints the applicant with address, phone and e-mail, and the procedure', async () => {
      const { pdf } = await standard('receipt');
      expect(pdf.text).toContain(
        `Trung tâm Phục vụ hành chính công tỉnh Quảng Nam tiếp nhận hồ sơ của: ${APPLICANT} ` +
          'Địa chỉ: Số 12 đường Phan Bội Châu, phường Tân Thạnh, thành phố Tam Kỳ, tỉnh Quảng Nam ' +
          'Số điện thoại: 0905 123 456 Email: nhung.nth@example.vn ' +
          `Nội dung yêu cầu giải quyết: ${PROCEDURE}`,
      );
    });

    it('lists every component received with its originals and copies, and counts them', async () => {
      const { pdf } = await standard('receipt');
      expect(pdf.text).toContain('1. Thành phần hồ sơ nộp gồm: STT Tên giấy tờ Bản chính Bản sao');
      expect(pdf.text).toContain('1 Đơn đề nghị cấp Chứng chỉ hành nghề dược 1 0');
      expect(pdf.text).toContain('2 Văn bằng chuyên môn (bản sao có chứng thực) 0 1');
      expect(pdf.text).toContain('4 Giấy xác nhận thời gian thực hành chuyên môn 1 0');
      expect(pdf.text).toContain('2. Số lượng hồ sơ: 01 (bộ), gồm 04 thành phần');
    });

    it('prints the time of receipt and the due date in Hà Nội time', async () => {
      const { pdf } = await standard('receipt');
      expect(pdf.text).toContain('3. Thời gian giải quyết hồ sơ theo quy định: 10 ngày làm việc');
      expect(pdf.text).toContain('4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 23 tháng 11 năm 2026');
      expect(pdf.text).toContain('5. Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 04 tháng 12 năm 2026');
    });

    it('dates an instant after 17:00 UTC on the next local day', async () => {
      const { pdf } = await render(receipt({ dueAt: new Date('2026-12-03T17:30:00Z') }));
      expect(pdf.text).toContain('Ngày hẹn trả kết quả: 00 giờ 30 phút, ngày 04 tháng 12 năm 2026');
    });

    it('prints the same local time whatever time zone the server runs in', async () => {
      const saved = process.env['TZ'];
      process.env['TZ'] = 'America/Los_Angeles';
      try {
        expect(DUE_AT.getHours()).not.toBe(17); // the zone did change for this process
        const { pdf } = await render(receipt());
        expect(pdf.text).toContain('Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 04 tháng 12 năm 2026');
        expect(pdf.text).toContain('Quảng Nam, ngày 23 tháng 11 năm 2026');
      } finally {
        if (saved === undefined) delete process.env['TZ'];
        else process.env['TZ'] = saved;
      }
    });

    it('writes a day below 10 and the months January and February with a leading zero (Nghị định 30/2020)', async () => {
      const { pdf } = await render(
        receipt({ receivedAt: new Date('2027-02-05T02:00:00Z'), dueAt: new Date('2027-04-09T10:00:00Z') }),
      );
      expect(pdf.text).toContain('Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 05 tháng 02 năm 2027');
      expect(pdf.text).toContain('Ngày hẹn trả kết quả: 17 giờ 00 phút, ngày 09 tháng 4 năm 2027');
    });

    it('says where the result is collected: at the desk, by post or online', async () => {
      const desk = await standard('receipt');
      expect(desk.pdf.text).toContain(
        '6. Đăng ký nhận kết quả: trực tiếp tại Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh Quảng Nam',
      );
      const post = await render(
        receipt({ resultDelivery: { method: 'postal', address: '45 Trần Hưng Đạo, Hội An' } }),
      );
      expect(post.pdf.text).toContain(
        'Đăng ký nhận kết quả: qua dịch vụ bưu chính công ích, đến địa chỉ: 45 Trần Hưng Đạo, Hội An',
      );
      const online = await render(receipt({ resultDelivery: { method: 'online' } }));
      expect(online.pdf.text).toContain(
        'Đăng ký nhận kết quả: kết quả điện tử trên Cổng Dịch vụ công tỉnh Quảng Nam',
      );
    });

    it('tells the applicant how to track the dossier, and has the receiving officer sign', async () => {
      const { pdf } = await standard('receipt');
      expect(pdf.text).toContain(
        `Ông/Bà có thể tra cứu tình trạng giải quyết hồ sơ bằng mã hồ sơ ${CODE} trên Cổng Dịch vụ công tỉnh Quảng Nam`,
      );
      expect(pdf.text).toMatch(/NGƯỜI NỘP HỒ SƠ .*NGƯỜI TIẾP NHẬN HỒ SƠ .*Lê Văn Bình$/);
    });

    it('draws a QR code image with the dossier code printed under it', async () => {
      const { pdf } = await standard('receipt');
      expect(pdf.raw).toMatch(/\/Type \/XObject\s+\/Subtype \/Image/);
      expect(pdf.placements).toHaveLength(1);
      const qr = pdf.placements[0]!;
      const caption = pdf.pages[0]!.runs.find((run) => run.str.trim() === CODE && run.y < qr.bottom);
      expect(caption).toBeDefined();
      expect(qr.bottom - caption!.y).toBeLessThan(15);
      expect(caption!.x + caption!.width / 2).toBeCloseTo((qr.left + qr.right) / 2, 0);
    });

    it('encodes the tracking URL in the QR code', async () => {
      const url = `https://dichvucong.quangnam.gov.vn/tra-cuu?ma=${CODE}`;
      const { pdf } = await render(
        receipt({ tracking: { portal: 'Cổng Dịch vụ công tỉnh Quảng Nam', url } }),
      );
      expect(encodes(pdf, url)).toBe(true);
      expect(encodes(pdf, CODE)).toBe(false);
    });

    it('encodes the dossier code in the QR code when there is no tracking URL', async () => {
      const { pdf } = await render(receipt({ tracking: { portal: 'Cổng Dịch vụ công tỉnh Quảng Nam' } }));
      expect(encodes(pdf, CODE)).toBe(true);
    });

    it('leaves out every absent field and keeps the items numbered in sequence', async () => {
      const { pdf } = await render(
        receipt({
          applicant: { name: APPLICANT },
          documentNumber: undefined,
          processingTime: undefined,
          register: undefined,
          sets: undefined,
        }),
      );
      expect(pdf.text).not.toMatch(/undefined|null|NaN/);
      for (const label of ['Địa chỉ', 'Số điện thoại', 'Email', 'Số:', 'theo quy định', 'Quyển số']) {
        expect(pdf.text).not.toContain(label);
      }
      expect(pdf.text).toMatch(
        /1\. Thành phần hồ sơ nộp gồm: .* 2\. Số lượng hồ sơ: 01 \(bộ\), gồm 04 thành phần 3\. Thời gian nhận hồ sơ: .* 4\. Ngày hẹn trả kết quả: .* 5\. Đăng ký nhận kết quả: /,
      );
    });

    it('prints only the contact details given: a phone without an e-mail', async () => {
      const { pdf } = await render(
        receipt({ applicant: { name: APPLICANT, address: 'Tam Kỳ', phone: '0905 123 456' } }),
      );
      expect(pdf.text).toContain('Địa chỉ: Tam Kỳ Số điện thoại: 0905 123 456 Nội dung yêu cầu giải quyết');
      expect(pdf.text).not.toContain('Email');
    });

    it('carries a long component list over to a new page, repeating the table header', async () => {
      const components = Array.from({ length: 30 }, (_, i) => ({
        name: `Giấy tờ thứ ${i + 1}: bản sao hợp đồng lao động và xác nhận của cơ sở khám bệnh, chữa bệnh`,
        originals: 0,
        copies: 1,
      }));
      const { pdf } = await render(receipt({ components }));
      expect(pdf.pages.length).toBeGreaterThan(1);
      for (const page of pdf.pages.filter((p) => p.text.includes('Giấy tờ thứ'))) {
        expect(count(page.text, 'STT Tên giấy tờ Bản chính Bản sao')).toBe(1);
      }
      for (let i = 1; i <= 30; i++) expect(count(pdf.text, `Giấy tờ thứ ${i}: `)).toBe(1);
      expect(pdf.text).toContain('gồm 30 thành phần');
      expect(pdf.pages.at(-1)!.text).toContain(`Trang ${pdf.pages.length}/${pdf.pages.length}`);
    });

    it('keeps the tracking note, the QR code with its caption and the signatures together on one page', async () => {
      let movedToNewPage = 0;
      // From lists that leave room for the footer to lists that push it over the page end.
      for (let n = 4; n <= 9; n++) {
        const components = Array.from({ length: n }, (_, i) => ({
          name: `Giấy tờ thứ ${i + 1}`,
          originals: 1,
          copies: 0,
        }));
        const { pdf } = await render(receipt({ components }));
        const qr = pdf.placements[0]!;
        expect(qr.bottom).toBeGreaterThanOrEqual(MARGIN.bottom);
        expect(qr.top).toBeLessThanOrEqual(A5.height - MARGIN.top);
        const footer = pdf.pages.filter((p) => p.text.includes('NGƯỜI TIẾP NHẬN HỒ SƠ'));
        expect(footer).toHaveLength(1);
        expect(footer[0]!.text).toContain('hoặc quét mã QR dưới đây.');
        const caption = footer[0]!.runs.find(
          (r) => r.str.trim() === CODE && r.y < qr.bottom && qr.bottom - r.y < 15,
        );
        expect(caption).toBeDefined();
        if (!footer[0]!.text.includes('Giấy tờ thứ')) movedToNewPage++;
      }
      expect(movedToNewPage).toBeGreaterThan(0);
    });
  });

  describe('supplement request (Mẫu số 02)', () => {
    it('numbers what must be added or corrected, each with its reason', async () => {
      const { pdf } = await standard('supplement_request');
      expect(pdf.text).toContain(
        'Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau: ' +
          '1. Bổ sung Giấy xác nhận thời gian thực hành chuyên môn tại cơ sở dược ' +
          'Lý do: Hồ sơ chưa có giấy xác nhận thời gian thực hành theo quy định. ' +
          '2. Thay ảnh chân dung 4 x 6 cm Lý do: Ảnh đã nộp chụp quá 6 tháng.',
      );
    });

    it('gives the applicant’s deadline in Hà Nội time and the officer to contact', async () => {
      const { pdf } = await standard('supplement_request');
      expect(pdf.text).toContain(
        'Thời hạn bổ sung, hoàn thiện hồ sơ: trước 17 giờ 00 phút, ngày 10 tháng 12 năm 2026',
      );
      expect(pdf.text).toContain(
        'Ông/Bà liên hệ với Lê Văn Bình (Chuyên viên), số điện thoại 0235 3812 345 để được hướng dẫn.',
      );
      expect(pdf.text).toMatch(/NGƯỜI HƯỚNG DẪN \(Ký và ghi rõ họ tên\) Lê Văn Bình$/);
    });

    it('leaves out the deadline and the phone when none is given', async () => {
      const { pdf } = await render(
        supplementRequest({ deadline: undefined, officer: { name: 'Lê Văn Bình' } }),
      );
      expect(pdf.text).not.toContain('Thời hạn bổ sung');
      expect(pdf.text).toContain('Ông/Bà liên hệ với Lê Văn Bình để được hướng dẫn.');
    });
  });

  describe('refusal (Mẫu số 03)', () => {
    it('states why the dossier is refused', async () => {
      const { pdf } = await standard('refusal');
      expect(pdf.text).toContain(
        'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau: ' +
          refusal().reason,
      );
      expect(pdf.text).toMatch(/NGƯỜI TIẾP NHẬN HỒ SƠ \(Ký và ghi rõ họ tên\) Lê Văn Bình$/);
    });
  });

  describe('apology (Mẫu số 04)', () => {
    it('gives the reason for the delay, the original and the new due date, and apologises', async () => {
      const { pdf } = await standard('apology');
      expect(pdf.text).toContain(`Kính gửi: ${APPLICANT}`);
      expect(pdf.text).toContain(
        'Ngày 23 tháng 11 năm 2026, Sở Y tế tỉnh Quảng Nam tiếp nhận giải quyết hồ sơ',
      );
      expect(pdf.text).toContain(
        'Thời gian hẹn trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 04 tháng 12 năm 2026',
      );
      expect(pdf.text).toContain(`Lý do: ${apology().reason}`);
      expect(pdf.text).toContain(
        'Sở Y tế tỉnh Quảng Nam xin lỗi Ông/Bà và hẹn lại ngày trả kết quả giải quyết hồ sơ vào 17 giờ 00 phút, ngày 11 tháng 12 năm 2026.',
      );
    });

    it('is signed by the head of the agency, position in capitals', async () => {
      const { pdf } = await standard('apology');
      expect(pdf.text).toMatch(/KT\. GIÁM ĐỐC PHÓ GIÁM ĐỐC \(Ký tên, đóng dấu\) Trần Quốc Huy Tra cứu/);
    });
  });

  describe('control sheet (Mẫu số 05)', () => {
    it('prints the dossier, the agencies, and one row per hand-over with its times and result', async () => {
      const { pdf } = await standard('control_sheet');
      expect(pdf.text).toContain(`Kèm theo hồ sơ của: ${APPLICANT}`);
      expect(pdf.text).toContain('Cơ quan (bộ phận) giải quyết hồ sơ: Sở Y tế tỉnh Quảng Nam');
      expect(pdf.text).toContain(
        'Cơ quan phối hợp giải quyết hồ sơ: Hội đồng tư vấn cấp Chứng chỉ hành nghề dược',
      );
      expect(pdf.text).toContain(
        '1 Giao: Trung tâm Phục vụ hành chính công – Lê Văn Bình Nhận: Phòng Nghiệp vụ Dược – Phạm Thị Mai ' +
          '09:30 23/11/2026 09:30 24/11/2026 10:00 23/11/2026 Trước hạn Bước 1',
      );
      expect(pdf.text).toContain('10:30 24/11/2026 11:00 23/11/2026 Đúng hạn Bước 2');
      expect(pdf.text).toContain('3 Giao: Lãnh đạo Sở Nhận: Văn phòng Sở (phát hành)');
      expect(pdf.text).toContain('Quá hạn Chờ ký số');
      // The open step: handed over and due, not completed, no result yet.
      expect(pdf.text).toMatch(
        /Nhận: Trung tâm Phục vụ hành chính công 12:30 23\/11\/2026 12:30 24\/11\/2026 Tra cứu/,
      );
    });

    describe('with 40 hand-overs and long names', () => {
      const LONG_UNIT =
        'Hội đồng tư vấn cấp Chứng chỉ hành nghề dược tỉnh Quảng Nam (Tiểu ban thẩm định hồ sơ cá nhân)';
      const sheet = controlSheet({
        handovers: Array.from({ length: 40 }, (_, i) =>
          handover(i + 1, i % 7 === 3 ? { to: { unit: LONG_UNIT, person: 'Nguyễn Hoàng Bảo Ngọc' } } : {}),
        ),
      });
      let pdf: ReadPdf;
      beforeAll(async () => {
        ({ pdf } = await render(sheet));
      });
      const row = (n: number): RegExp => new RegExp(`Chuyên viên số ${n}(?!\\d)|Bước ${n}(?!\\d)`, 'g');
      const pagesWith = (re: RegExp): PdfPage[] => pdf.pages.filter((p) => re.test(p.text));

      it('spans more than one page, each A5', () => {
        expect(pdf.pages.length).toBeGreaterThan(1);
        for (const page of pdf.pages) expect(page.view[3]).toBeCloseTo(A5.height, 1);
      });

      it('prints every row, each whole on one page', () => {
        for (let n = 1; n <= 40; n++) {
          const marker = new RegExp(`Bước ${n}(?!\\d)`);
          expect(pagesWith(marker)).toHaveLength(1);
          const page = pagesWith(marker)[0]!;
          // Both ends of the row (the parties and the note) are on the same page.
          expect(page.text.match(row(n))).toHaveLength(n % 7 === 4 ? 1 : 2);
        }
        expect(count(pdf.text, `${LONG_UNIT} – Nguyễn Hoàng Bảo Ngọc`)).toBe(6);
      });

      it('repeats the table header at the top of every page', () => {
        for (const page of pdf.pages) {
          expect(
            count(page.text, 'STT Giao – Nhận Thời điểm giao Hạn xử lý Hoàn thành Kết quả Ghi chú'),
          ).toBe(1);
        }
      });

      it('numbers the pages and repeats the dossier code at their foot', () => {
        const total = pdf.pages.length;
        pdf.pages.forEach((page, i) =>
          expect(page.text).toMatch(
            new RegExp(`Mã hồ sơ: ${CODE.replace(/\./g, '\\.')} – Trang ${i + 1}/${total}$`),
          ),
        );
      });

      it('wraps long names inside their cells: no text leaves the body of the page or overlaps other text', () => {
        for (const page of pdf.pages) {
          const runs = page.runs.filter((r) => r.str.trim() !== '' && !/Trang \d+\/\d+$/.test(r.str.trim()));
          for (const run of runs) {
            expect(run.x).toBeGreaterThanOrEqual(MARGIN.left - 0.5);
            expect(run.x + run.width).toBeLessThanOrEqual(A5.width - MARGIN.right + 0.5);
            // Baselines: a descender may dip a little into the bottom margin, nothing more.
            expect(run.y).toBeGreaterThanOrEqual(MARGIN.bottom - 3);
            expect(run.y).toBeLessThanOrEqual(A5.height - MARGIN.top);
          }
          for (const a of runs) {
            for (const b of runs) {
              const sameLine = a !== b && Math.abs(a.y - b.y) < 3;
              if (sameLine) expect(a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5).toBe(true);
            }
          }
        }
      });
    });
  });

  it.each(['supplement_request', 'refusal'] as const)('draws no image on the %s', async (kind) => {
    const { pdf } = await standard(kind);
    expect(pdf.raw).not.toContain('/Subtype /Image');
  });

  it.each(['receipt', 'apology', 'control_sheet'] as const)(
    'puts the tracking link in the QR code of the %s, the dossier code without one',
    async (kind) => {
      const { pdf } = await standard(kind);
      expect(encodes(pdf, TRACKING.url)).toBe(true);
      const bare = await render({ ...FACTORIES[kind](), tracking: { portal: TRACKING.portal } });
      expect(encodes(bare.pdf, CODE)).toBe(true);
    },
  );

  it('renders slips requested together with the same text each has when rendered alone', async () => {
    const alone = [];
    for (const kind of KINDS) alone.push((await render(FACTORIES[kind]())).pdf.text);
    const together = await Promise.all([...KINDS, ...KINDS].map((kind) => render(FACTORIES[kind]())));
    expect(together.map((r) => r.pdf.text)).toEqual([...alone, ...alone]);
  });

  it('renders every kind from its required data alone, printing no empty label', async () => {
    const minimal: SlipData[] = [
      receipt({ applicant: { name: APPLICANT }, components: [], tracking: { portal: 'Cổng Dịch vụ công' } }),
      supplementRequest({ applicant: { name: APPLICANT }, deadline: undefined }),
      refusal({ applicant: { name: APPLICANT } }),
      apology({ applicant: { name: APPLICANT } }),
      controlSheet({ applicant: { name: APPLICANT }, coordinatingAgencies: undefined, handovers: [] }),
    ];
    for (const slip of minimal) {
      const { pdf } = await render(slip);
      expect(pdf.text).toContain(`Mã hồ sơ: ${CODE}`);
      expect(pdf.text).not.toMatch(/undefined|null|NaN|Địa chỉ|Số điện thoại|Email/);
    }
  });
});
