import type { SheetRow } from '../sheets/read-sheet';
import { frameworkProblems, NodeCode, type FrameworkNode, type Problem, type Scoring } from './framework';
import type { ScoringRule } from './scoring-rule';

/** The framework sheet's columns: one row per area or criterion, the tree read from the dotted codes. */
export const FRAMEWORK_COLUMNS: Record<string, string> = {
  code: 'code',
  mã: 'code',
  'mã tiêu chí': 'code',
  name: 'name',
  tên: 'name',
  'tên tiêu chí': 'name',
  maxPoints: 'maxPoints',
  'điểm tối đa': 'maxPoints',
  scoring: 'scoring',
  'cách chấm': 'scoring',
  indicator: 'indicator',
  'chỉ số': 'indicator',
  rule: 'rule',
  'quy tắc': 'rule',
  parameters: 'parameters',
  'tham số': 'parameters',
};

const num = (s: string) => Number(s.trim().replace(',', '.'));

/** Reads a rule's parameters: linear "80"; thresholds "57:1; 90:1.5"; bands "0-50:0.25; 50-80:0.5; 80-:1". */
export function parseRule(kind: string, params: string): ScoringRule | string {
  const parts = params
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (kind === 'linear') {
    const upTo = params.trim() === '' ? 100 : num(params);
    return Number.isFinite(upTo) && upTo > 0
      ? { kind, upTo }
      : `linear takes the rate of full points ("80"): "${params}"`;
  }
  if (kind === 'thresholds') {
    const steps = parts.map((p) => p.split(':').map(num));
    if (steps.length === 0 || steps.some((s) => s.length !== 2 || s.some((x) => !Number.isFinite(x))))
      return `thresholds are "rate:points; rate:points": "${params}"`;
    return {
      kind,
      steps: steps.map(([atLeast, points]) => ({ atLeast: atLeast ?? 0, points: points ?? 0 })),
    };
  }
  if (kind === 'bands') {
    const bands = parts.map((p) => {
      const m = /^([\d.,]+)\s*-\s*([\d.,]*)\s*:\s*([\d.,]+)$/.exec(p);
      return m ? { from: num(m[1] ?? ''), to: m[2] ? num(m[2]) : null, points: num(m[3] ?? '') } : null;
    });
    if (bands.length === 0 || bands.some((b) => b === null))
      return `bands are "from-to:points; from-:points": "${params}"`;
    return { kind, bands: bands as { from: number; to: number | null; points: number }[] };
  }
  return `a rule is linear, thresholds or bands: "${kind}"`;
}

/** The node a framework problem's pointer names, and what is left of the pointer. */
function nodeAt(
  areas: readonly FrameworkNode[],
  pointer: string,
): { node: FrameworkNode; rest: string } | undefined {
  const parts = pointer.split('/').slice(1);
  let list: readonly FrameworkNode[] = areas;
  let node: FrameworkNode | undefined;
  let i = 0;
  while (i + 1 < parts.length && (parts[i] === 'areas' || parts[i] === 'children')) {
    node = list[Number(parts[i + 1])];
    if (!node) return undefined;
    list = node.children ?? [];
    i += 2;
  }
  return node ? { node, rest: parts.slice(i).join('/') } : undefined;
}

const columnOf = (rest: string): string =>
  rest.startsWith('scoring/indicator')
    ? 'indicator'
    : rest.startsWith('scoring/rule')
      ? 'parameters'
      : rest.startsWith('scoring')
        ? 'scoring'
        : rest.split('/')[0] || 'code';

/**
 * Builds the tree from the sheet's rows (a row's parent is the row whose code is its code without
 * the last group), with every problem named by sheet row and column: cells that do not read,
 * a parent missing, and the framework's own rules (children's maxima, indicators, rule points).
 */
export function frameworkFromRows(rows: readonly SheetRow[]): {
  areas: FrameworkNode[];
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const byCode = new Map<string, FrameworkNode>();
  const rowOf = new Map<FrameworkNode, number>();
  const areas: FrameworkNode[] = [];
  const at = (row: number, column: string, detail: string) =>
    problems.push({ pointer: `/rows/${row}/${column}`, detail });
  for (const { row, cells } of rows) {
    const code = cells['code'] ?? '';
    if (!NodeCode.safeParse(code).success) {
      at(row, 'code', `not a criterion code (6, 6.1, 6.1.2): "${code}"`);
      continue;
    }
    const name = cells['name'] ?? '';
    if (!name) at(row, 'name', 'the name is missing');
    const maxPoints = num(cells['maxPoints'] ?? '');
    if (!cells['maxPoints'] || !Number.isFinite(maxPoints) || maxPoints <= 0)
      at(row, 'maxPoints', `not a positive number of points: "${cells['maxPoints'] ?? ''}"`);
    else if (Math.abs(maxPoints * 100 - Math.round(maxPoints * 100)) > 1e-6)
      at(row, 'maxPoints', 'at most two decimals');
    let scoring: Scoring | undefined;
    const kind = (cells['scoring'] ?? '').toLowerCase();
    if (kind === 'manual' || kind === 'thủ công') scoring = { kind: 'manual' };
    else if (kind === 'computed' || kind === 'tự động') {
      const rule = parseRule((cells['rule'] ?? '').toLowerCase(), cells['parameters'] ?? '');
      if (typeof rule === 'string') at(row, cells['rule'] ? 'parameters' : 'rule', rule);
      else scoring = { kind: 'computed', indicator: cells['indicator'] ?? '', rule };
    } else if (kind) at(row, 'scoring', `manual or computed: "${cells['scoring']}"`);
    const node: FrameworkNode = { code, name, maxPoints, ...(scoring ? { scoring } : {}) };
    if (byCode.has(code)) {
      at(row, 'code', `code ${code} appears twice`);
      continue;
    }
    byCode.set(code, node);
    rowOf.set(node, row);
    const parentCode = code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : null;
    if (parentCode === null) areas.push(node);
    else {
      const parent = byCode.get(parentCode);
      if (!parent) at(row, 'code', `its parent ${parentCode} is not on an earlier row`);
      else (parent.children ??= []).push(node);
    }
  }
  if (rows.length === 0) problems.push({ pointer: '/rows', detail: 'the sheet has no rows' });
  if (problems.length === 0)
    for (const p of frameworkProblems({ areas })) {
      const hit = nodeAt(areas, p.pointer);
      const row = hit ? rowOf.get(hit.node) : undefined;
      problems.push(
        row === undefined ? p : { pointer: `/rows/${row}/${columnOf(hit?.rest ?? '')}`, detail: p.detail },
      );
    }
  return { areas, problems };
}
