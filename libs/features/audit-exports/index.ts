export * from './audit-export';
export * from './audit-exports.commands';
export * from './audit-exports.use-cases';
export * from './audit-exports.query';
export * from './audit-exports.queue';
export * from './audit-export.job';
export * from './audit-export.processing';
export {
  CAPABILITY_TIMELINE_REPORT,
  ExportReports,
  KPI_RETURNS_REPORT,
} from './audit-export-reports';
export * from './audit-export-retention';
