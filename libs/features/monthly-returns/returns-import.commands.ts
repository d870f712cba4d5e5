import { FeatureCommand } from '@kpi/command-handling';
import type { ReturnsFile } from './returns-import.file';
import type { ReturnsImportReport } from './returns-import.use-cases';

/** A returns file, read (returns-import.file.ts), to check and, unless a dry run, store. */
export interface ImportReturnsInput {
  file: ReturnsFile;
  dryRun: boolean;
}

export class ImportReturns extends FeatureCommand<ImportReturnsInput, ReturnsImportReport> {}
