import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@tthc/service-kit';
import { importCatalogue } from '../commands/import.command';
import type { CommandContext } from '../commands/procedure.command';
import { hasAnyProcedure } from '../db/procedure.repository';
import { CatalogueFile } from '../domain/catalogue-file';

/** The demo catalogue file, kept beside src/ and dist/ so both the sources and the build find it. */
export const DEMO_FILE = join(__dirname, '..', '..', 'seed', 'demo-catalogue.json');

/**
 * Loads the demo catalogue into an empty catalogue (npm start sets SEED_DEMO_DATA). A catalogue
 * that holds any procedure is left alone, so a restart never duplicates or overwrites data.
 */
export async function seedDemoCatalogue(ctx: CommandContext, logger: Logger): Promise<void> {
  if (await hasAnyProcedure(ctx.db)) return;
  const raw = CatalogueFile.parse(JSON.parse(readFileSync(DEMO_FILE, 'utf8')));
  const report = await importCatalogue(ctx, raw, false);
  if (!report.applied) {
    logger.error({ errors: report.errors.slice(0, 20) }, 'demo catalogue not loaded');
    throw new Error(`demo catalogue has ${report.errors.length} errors`);
  }
  logger.info(
    { procedures: report.procedures, fields: report.fields, agencies: report.agencies },
    'demo catalogue loaded',
  );
}
