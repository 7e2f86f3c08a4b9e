/**
 * The calendar wing: the working-day calendar with the official days the administrators keep,
 * and the effective-dated rule sets of the one-stop regulations.
 */
export { CalendarProvider, NoRuleSetInForce, type Settings } from './calendar.cache';
export { RuleParams, SEEDED_RULE_SETS, ruleSetOn, type RuleSet } from './domain/rule-set';
export { listRuleSets, settingsStampSql } from './db/settings.repository';
export { settingsRoutes } from './routes/settings.routes';
