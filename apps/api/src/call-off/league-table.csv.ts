import { PROVIDER_KPIS } from '@kpi/domain';
import { csvDocument } from '../http/csv';
import type { LeagueTable } from '@kpi/features/call-off';

/**
 * The league table as a spreadsheet: one row per provider, then each KPI's value, target and
 * RAG side by side (the layout a contract monitoring officer pastes into a report).
 */
export function leagueTableCsv(table: LeagueTable): string {
  const header = [
    'rank',
    'provider_id',
    'green',
    'red',
    'grey',
    ...PROVIDER_KPIS.flatMap((k) => [`${k.code}_value`, `${k.code}_target`, `${k.code}_rag`]),
  ];
  const rows = table.providers.map((row) => {
    const byCode = new Map(row.kpis.map((k) => [k.code, k]));
    return [
      row.rank,
      row.providerId,
      row.green,
      row.red,
      row.grey,
      ...PROVIDER_KPIS.flatMap((k) => {
        const kpi = byCode.get(k.code);
        return [kpi?.value ?? null, kpi?.target ?? null, kpi?.rag ?? 'grey'];
      }),
    ];
  });
  return csvDocument(header, rows);
}
