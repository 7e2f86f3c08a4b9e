import type { Migrations } from '@tthc/db';
import * as init from './202611230001_init';
import * as timeline from './202612010001_timeline';
import * as indicators from './202612010002_indicators';
import * as reconciliation from './202612010003_reconciliation';
import * as deadLetters from './202612010004_dead_letters';
import * as stockSpans from './202612010005_stock_spans';
import * as targetsAudit from './202612010201_targets_audit';
import * as frameworks from './202612010202_frameworks';
import * as reformPlan from './202612010203_reform_plan';
import * as lateChanges from './202612010204_late_changes';
import * as legacyPartialIndexes from './202612010205_legacy_partial_indexes';
import * as idempotencyKeys from './202612010301_idempotency_keys';
import * as nationalSynced from './202612020101_national_synced';
import * as stockDeltas from './202612040101_stock_deltas';
import * as overdueDayIndexes from './202612050101_overdue_day_indexes';
import * as stockDeltasAppend from './202612070101_stock_deltas_append';

export { SCHEMA } from '../schema';
export const migrations: Migrations = {
  '202611230001_init': init,
  '202612010001_timeline': timeline,
  '202612010002_indicators': indicators,
  '202612010003_reconciliation': reconciliation,
  '202612010004_dead_letters': deadLetters,
  '202612010005_stock_spans': stockSpans,
  '202612010201_targets_audit': targetsAudit,
  '202612010202_frameworks': frameworks,
  '202612010203_reform_plan': reformPlan,
  '202612010204_late_changes': lateChanges,
  '202612010205_legacy_partial_indexes': legacyPartialIndexes,
  '202612010301_idempotency_keys': idempotencyKeys,
  '202612020101_national_synced': nationalSynced,
  '202612040101_stock_deltas': stockDeltas,
  '202612050101_overdue_day_indexes': overdueDayIndexes,
  '202612070101_stock_deltas_append': stockDeltasAppend,
};
