import { readPdf } from './fixtures/slips/read-pdf';
import { act, desk, startIntake, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startIntake('2026-11-23T02:00:00Z');
});
afterAll(() => h.close());

const slip = (code: string, form: string) =>
  h.app.inject({ method: 'GET', url: `/v1/dossiers/${code}/slips/${form}`, headers: h.headers });

describe('printed slips of a dossier', () => {
  it('prints the receipt (Mẫu 01) with the code, the applicant and the due date in local time', async () => {
    const d = (await h.call('POST', '/v1/dossiers', desk())).json();
    const res = await slip(d.code, '01');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.text).toContain(d.code);
    expect(pdf.text).toContain('Nguyễn Văn An');
    expect(pdf.text).toContain('17 giờ 00 phút, ngày 14 tháng 12 năm 2026');
  });

  it('prints the supplement request (Mẫu 02) with the items, and refuses it for a dossier that has none', async () => {
    const d = (await h.call('POST', '/v1/dossiers', desk())).json();
    const none = await slip(d.code, '02');
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('slip_not_applicable');
    await act(h, d.code, 'request-supplement', {
      reason: 'Hồ sơ chưa hợp lệ',
      items: ['Giấy khám sức khỏe còn thời hạn'],
    });
    const pdf = await readPdf((await slip(d.code, '02')).rawPayload);
    expect(pdf.text).toContain('Giấy khám sức khỏe còn thời hạn');
  });

  it('prints the process control sheet (Mẫu 05) from the hand-overs of the trail', async () => {
    const d = (await h.call('POST', '/v1/dossiers', desk())).json();
    await act(h, d.code, 'assign', { unit: 'Phòng Nghiệp vụ Dược', officer: 'cv.duoc' });
    h.setNow('2026-11-24T02:00:00Z');
    await act(h, d.code, 'assign', { unit: 'Lãnh đạo Sở', officer: 'pgd' });
    const pdf = await readPdf((await slip(d.code, '05')).rawPayload);
    expect(pdf.text).toContain('Phòng Nghiệp vụ Dược');
    expect(pdf.text).toContain('Lãnh đạo Sở');
  });

  it('answers an unknown form with 400 and an unknown dossier with 404', async () => {
    expect((await slip('000.20.17.H55-261123-9999', '01')).statusCode).toBe(404);
    expect((await slip('000.20.17.H55-261123-9999', '09')).statusCode).toBe(400);
  });
});
