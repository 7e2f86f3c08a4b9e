/** A demo-catalogue filing (1.001919, decided by Sở Y tế) as desk software sends it. */
export const FILING = {
  procedureCode: '1.001919',
  source: 'desk',
  channel: 'direct',
  applicant: { kind: 'person', fullName: 'Lê Thị Hoa', phone: '0905111222' },
  components: [
    'Văn bản đề nghị bổ nhiệm giám định viên pháp y, pháp y tâm thần của Giám đốc Sở Y tế',
    'Bản sao văn bằng tốt nghiệp đại học chuyên ngành y khoa phù hợp',
    'Sơ yếu lý lịch và Phiếu lý lịch tư pháp',
    'Văn bản xác nhận thời gian thực tế hoạt động chuyên môn của cơ quan, tổ chức nơi người được đề nghị làm việc',
    'Chứng chỉ đã qua đào tạo hoặc bồi dưỡng nghiệp vụ giám định pháp y, pháp y tâm thần',
  ].map((name) => ({ name, digitized: true })),
};
