/**
 * The indicator rule set of Quyết định 766/QĐ-TTg (23/6/2023) as domain.md tabulates it: six
 * groups, each criterion's maximum, threshold and what an empty denominator scores. Frozen in
 * this seed: a change of law is a new rule set (POST /v1/kpi/rule-sets), never an edit here.
 *
 * domain.md gives the digitization group 22 points, but the criteria it lists add up to 20 (so
 * the set's maximum is 98): the criteria's maxima are kept as listed, and the group's maximum is
 * their sum, until the weights are confirmed and a corrected rule set is added.
 */
export const RULE_SET_766_2023 = {
  id: 'QD766-2023',
  name: 'Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)',
  legalBasis: 'Quyết định 766/QĐ-TTg ngày 23/6/2023 của Thủ tướng Chính phủ',
  effectiveFrom: '2023-06-23',
  params: {
    progressPopulation: 'received_and_carried_over',
    decisionLeadDays: 5,
    nationalPublicationWorkingDays: 5,
  },
  groups: [
    {
      id: 'transparency',
      name: 'Công khai, minh bạch',
      criteria: [
        { id: 'transparency.published_on_time', max: 6, threshold: null, whenNone: 'not_applicable' },
        { id: 'transparency.made_public_on_time', max: 4, threshold: null, whenNone: 'not_applicable' },
        { id: 'transparency.complete_content', max: 2, threshold: null, whenNone: 'not_applicable' },
        { id: 'transparency.synced_national_portal', max: 6, threshold: null, whenNone: 'not_applicable' },
      ],
    },
    {
      id: 'progress',
      name: 'Tiến độ giải quyết',
      criteria: [{ id: 'progress.on_time', max: 20, threshold: null, whenNone: 'not_applicable' }],
    },
    {
      id: 'online',
      name: 'Dịch vụ trực tuyến',
      criteria: [
        { id: 'online.procedures_offered', max: 2, threshold: 0.8, whenNone: 'not_applicable' },
        { id: 'online.services_used', max: 4, threshold: null, whenNone: 'not_applicable' },
        { id: 'online.dossiers_online', max: 6, threshold: 0.5, whenNone: 'not_applicable' },
      ],
    },
    {
      id: 'payment',
      name: 'Thanh toán trực tuyến',
      criteria: [
        { id: 'payment.procedures_offered', max: 2, threshold: 0.8, whenNone: 'not_applicable' },
        { id: 'payment.procedures_used', max: 2, threshold: 0.8, whenNone: 'not_applicable' },
        { id: 'payment.dossiers_paid_online', max: 6, threshold: null, whenNone: 'not_applicable' },
      ],
    },
    {
      id: 'digitization',
      name: 'Mức độ số hóa hồ sơ',
      criteria: [
        { id: 'digitization.e_result', max: 6, threshold: null, whenNone: 'not_applicable' },
        { id: 'digitization.digitized', max: 4, threshold: null, whenNone: 'not_applicable' },
        { id: 'digitization.reuse', max: 2, threshold: 0.8, whenNone: 'not_applicable' },
        { id: 'digitization.citizen_store', max: 4, threshold: null, whenNone: 'not_applicable' },
        { id: 'digitization.population_data', max: 2, threshold: null, whenNone: 'not_applicable' },
        { id: 'digitization.e_certified_copies', max: 2, threshold: null, whenNone: 'not_applicable' },
      ],
    },
    {
      id: 'satisfaction',
      name: 'Mức độ hài lòng',
      criteria: [
        { id: 'satisfaction.feedback_on_time', max: 6, threshold: null, whenNone: 'full_marks' },
        { id: 'satisfaction.feedback_handling', max: 6, threshold: null, whenNone: 'full_marks' },
        { id: 'satisfaction.dossier_handling', max: 6, threshold: 0.9, whenNone: 'not_applicable' },
      ],
    },
  ],
} as const;
