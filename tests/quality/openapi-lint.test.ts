import { Spectral, type ISpectralDiagnostic, type RulesetDefinition } from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';
import { operationsOf, readSpec } from './support/spec';

/**
 * Issue 6, item 5: the merged OpenAPI passes Spectral's OpenAPI ruleset (recommended rules):
 * no error; warnings are listed, and fail only for what every operation must have (an
 * operationId, a summary or description, tags), which is also checked here directly.
 */

const ERROR = 0;
const WARNING = 1;
/** Spectral rules about what every operation must carry; operation-description counts only without a summary. */
const REQUIRED_OPERATION_RULES = new Set([
  'operation-operationId',
  'operation-tags',
  'operation-description',
]);

function linter(): Spectral {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas as RulesetDefinition, 'recommended']] });
  return spectral;
}

const where = (d: ISpectralDiagnostic) =>
  `${d.code} at ${d.path.join('.') || '(document)'} (line ${d.range.start.line + 1}): ${d.message}`;

const { text, doc } = readSpec();
let results: ISpectralDiagnostic[];

beforeAll(async () => {
  results = await linter().run(text);
  const warnings = results.filter((r) => r.severity === WARNING);
  const byRule = new Map<string, ISpectralDiagnostic[]>();
  for (const w of warnings) byRule.set(String(w.code), [...(byRule.get(String(w.code)) ?? []), w]);
  const lines = [...byRule].map(
    ([rule, ws]) => `  ${rule} ×${ws.length}, e.g. ${ws[0]!.path.join('.')}: ${ws[0]!.message}`,
  );
  console.log(
    `Spectral (oas, recommended) on openapi/openapi.json: ${results.length} results, ${warnings.length} warnings\n${lines.join('\n')}`,
  );
}, 60_000);

describe('the merged OpenAPI (openapi/openapi.json) under Spectral', () => {
  it('is linted for real: a broken document gets errors and the operation warnings', async () => {
    const broken = {
      openapi: '3.1.0',
      info: { title: 'broken', version: '1' },
      paths: {
        '/x': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } },
              },
            },
          },
        },
      },
    };
    const found = await linter().run(JSON.stringify(broken, null, 2));
    expect(found.filter((r) => r.severity === ERROR).map((r) => r.code)).toContain('invalid-ref');
    expect(found.map((r) => r.code)).toEqual(
      expect.arrayContaining(['operation-operationId', 'operation-tags', 'operation-description']),
    );
    expect(results.map((r) => r.code)).not.toContain('unrecognized-format');
  });

  it('has no error', () => {
    expect(results.filter((r) => r.severity === ERROR).map(where)).toEqual([]);
  });

  it('gives every operation an operationId, a summary or description, and tags (Spectral and a direct check)', () => {
    const summarised = new Set(
      operationsOf(doc)
        .filter((op) => op.summary)
        .map((op) => `paths.${op.path}.${op.method.toLowerCase()}`),
    );
    const fromSpectral = results
      .filter((r) => REQUIRED_OPERATION_RULES.has(String(r.code)))
      .filter((r) => !(r.code === 'operation-description' && summarised.has(r.path.slice(0, 3).join('.'))))
      .map(where);
    const direct = operationsOf(doc).flatMap((op) => {
      const at = `${op.method} ${op.path}`;
      return [
        ...(op.operationId ? [] : [`${at}: no operationId`]),
        ...(op.summary?.trim() || op.description?.trim() ? [] : [`${at}: no summary or description`]),
        ...(op.tags.length > 0 ? [] : [`${at}: no tags`]),
      ];
    });
    expect({ fromSpectral, direct }).toEqual({ fromSpectral: [], direct: [] });
    expect(operationsOf(doc).length).toBeGreaterThanOrEqual(50);
  });

  it('gives each operation a unique operationId', () => {
    const ids = operationsOf(doc).map((op) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});
