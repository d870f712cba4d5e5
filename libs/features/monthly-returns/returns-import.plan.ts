import {
  ENTITY_ID,
  foldEvents,
  InvalidCommandError,
  isPeriod,
  kindOf,
  kpiFrameworkDecider,
  monthlyReturnDecider,
  serviceDecider,
  signOffDecider,
  streamIds,
  versionInForce,
  type FieldProblem,
  type KpiFrameworkState,
  type MonthlyReturnEvent,
  type MonthlyReturnState,
  type Period,
} from '@kpi/domain';
import { loadState, toDomainEvent, type CommandContext } from '@kpi/command-handling';
import type { EventStore } from '@kpi/event-store';
import type { ImportedCell, ImportProblem, ReturnsFile } from './returns-import.file';
import { cellInput, cellMatches, displayedValue } from './returns-import.values';

/*
 * Planning an import: every row of the file checked, as a typed submission is, against what is
 * stored — without writing anything. Storing the plan: returns-import.use-cases.ts.
 */

/** What an import did, or (a dry run, or a file with bad rows) would do. */
export interface ReturnsImportReport {
  /** The import's id: every event it writes carries it as its correlation id. */
  importId: string;
  dryRun: boolean;
  format: ReturnsFile['format'];
  /** Data rows read (header not counted). */
  rows: number;
  /** Service-months the file gives values for. */
  returns: number;
  /** New returns: stored now, or on a dry run, to be stored. */
  toStore: number;
  /** Returns already stored with the same values: skipped. */
  unchanged: number;
  /** Returns written by this import (0 on a dry run or when any row is bad). */
  stored: number;
  /** Events written (one MonthlyReturnSubmitted a return). */
  events: number;
  /** Every bad row and cell; when there is any, nothing is stored. */
  problems: ImportProblem[];
}

export interface ReturnsImportProgress {
  phase: 'checking' | 'storing';
  done: number;
  total: number;
}

/** Streams read a round trip. */
const READ_CHUNK = 2000;

/** A return the import would store: its stream and the event the monthly return decided. */
export interface PlannedReturn {
  streamId: string;
  event: MonthlyReturnEvent;
}

/** One service-month of the file: the rows it is on and its cells by indicator code. */
interface ServiceMonth {
  serviceId: string;
  period: Period;
  rows: ImportedCell['row'][];
  cells: Map<string, ImportedCell>;
}

/**
 * Checks a file without writing: the report (nothing stored yet) and the returns to store.
 * Reads in batches: the services, their frameworks and the months' return streams.
 */
export async function planReturnsImport(
  context: Pick<CommandContext, 'store' | 'tenantId' | 'actor' | 'commandId' | 'now'>,
  file: ReturnsFile,
  onProgress?: (progress: ReturnsImportProgress) => void,
): Promise<{ report: Omit<ReturnsImportReport, 'dryRun'>; returns: PlannedReturn[] }> {
  const problems: ImportProblem[] = [...file.problems];
  const months = serviceMonthsOf(file, problems);
  const { store, tenantId } = context;

  const serviceIds = [...new Set([...months.values()].map((m) => m.serviceId))];
  const services = await foldStreams(
    store,
    serviceIds.map((id) => streamIds.service(tenantId, id)),
    serviceDecider,
  );
  const serviceOf = (id: string) => {
    const state = services.get(streamIds.service(tenantId, id));
    return state?.status === 'registered' ? state : null;
  };
  const frameworkIds = [...new Set(serviceIds.flatMap((id) => serviceOf(id)?.frameworkId ?? []))];
  const frameworks = await foldStreams(
    store,
    frameworkIds.map((id) => streamIds.kpiFramework(tenantId, id)),
    kpiFrameworkDecider,
  );
  const known = [...months.values()].filter((month) => serviceOf(month.serviceId) !== null);
  const stored = await foldStreams(
    store,
    known.map((m) => streamIds.monthlyReturn(tenantId, m.serviceId, m.period)),
    monthlyReturnDecider,
  );
  // Imported returns go through sign-off as typed ones do when the organisation has it on.
  const { on: signOff } = await loadState(context, streamIds.signOff(tenantId), signOffDecider);

  const returns: PlannedReturn[] = [];
  let unchanged = 0;
  let checked = 0;
  for (const month of months.values()) {
    const service = serviceOf(month.serviceId);
    const problem = (row: number, column: string, reason: string) =>
      problems.push({ row, column, reason });
    onProgress?.({ phase: 'checking', done: checked++, total: months.size });
    if (!service) {
      for (const row of month.rows)
        problem(
          row,
          columnsOf(file).service,
          `no service "${month.serviceId}" is registered in your organisation`,
        );
      continue;
    }
    const streamId = streamIds.monthlyReturn(tenantId, month.serviceId, month.period);
    const state = stored.get(streamId)!;
    const framework = frameworks.get(streamIds.kpiFramework(tenantId, service.frameworkId))!;
    if (state.status === 'submitted') {
      const differences = differencesFromStored(month, state, framework, file.format);
      if (differences.length === 0) unchanged++;
      else problems.push(...differences);
      continue;
    }
    const openedIn = service.openedOn.slice(0, 7);
    if (month.period < openedIn) {
      for (const row of month.rows)
        problem(
          row,
          columnsOf(file).period,
          `${month.serviceId} opened in ${openedIn}: there is no return for ${month.period}`,
        );
      continue;
    }
    const decided = decideSubmission({ ...context, signOff }, month, framework, file.format);
    if ('problems' in decided) problems.push(...decided.problems);
    else returns.push({ streamId, event: decided.event });
  }
  onProgress?.({ phase: 'checking', done: months.size, total: months.size });
  problems.sort((a, b) => a.row - b.row);
  return {
    report: {
      importId: context.commandId,
      format: file.format,
      rows: file.rows.length,
      returns: months.size,
      toStore: returns.length,
      unchanged,
      stored: 0,
      events: 0,
      problems,
    },
    returns,
  };
}

/** The file's rows grouped by service and month; rows that name neither well are problems. */
function serviceMonthsOf(file: ReturnsFile, problems: ImportProblem[]): Map<string, ServiceMonth> {
  const months = new Map<string, ServiceMonth>();
  for (const row of file.rows) {
    if (row.cells.length === 0) continue; // a month without a return: a gap, not a problem
    let bad = false;
    if (!ENTITY_ID.test(row.serviceId)) {
      problems.push({
        row: row.row,
        column: row.columns.service,
        reason: `must be a service id (1 to 63 lowercase letters, digits or -); got "${row.serviceId}"`,
      });
      bad = true;
    }
    if (!isPeriod(row.period)) {
      problems.push({
        row: row.row,
        column: row.columns.period,
        reason: `must be a month written YYYY-MM; got "${row.period}"`,
      });
      bad = true;
    }
    if (bad) continue;
    const key = `${row.serviceId} ${row.period}`;
    let month = months.get(key);
    if (!month) {
      month = {
        serviceId: row.serviceId,
        period: row.period as Period,
        rows: [],
        cells: new Map(),
      };
      months.set(key, month);
    }
    month.rows.push(row.row);
    for (const cell of row.cells) {
      const first = month.cells.get(cell.code);
      if (first) {
        problems.push({
          row: cell.row,
          column: cell.column,
          reason: `${cell.code} of ${key} is given again (first in row ${first.row})`,
        });
      } else month.cells.set(cell.code, cell);
    }
  }
  return months;
}

/**
 * A new return, decided by the monthly return's decider as a typed submission is: every problem
 * it finds is named by the row and column of its cell.
 */
function decideSubmission(
  context: Pick<CommandContext, 'actor' | 'now'> & { signOff: boolean },
  month: ServiceMonth,
  framework: KpiFrameworkState,
  format: ReturnsFile['format'],
): { event: MonthlyReturnEvent } | { problems: ImportProblem[] } {
  const version = versionInForce(framework, month.period);
  if (!version)
    return {
      problems: month.rows.map((row) => ({
        row,
        column: format === 'csv' ? 'period' : 'Month',
        reason: `no version of framework ${framework.frameworkId ?? ''} is in force for ${month.period}`,
      })),
    };
  const problems: ImportProblem[] = [];
  const values: Record<string, unknown> = {};
  const unreadable = new Set<string>();
  for (const [code, cell] of month.cells) {
    const indicator = version.indicators.find((i) => i.code === code);
    // Unknown and derived indicators are the decider's to refuse, in its own words.
    if (!indicator || kindOf(indicator) === 'derived') values[code] = cell.value;
    else {
      const read = cellInput(indicator, cell);
      if ('input' in read) values[code] = read.input;
      else {
        problems.push(cellProblem(cell, format, read.problem));
        unreadable.add(`values.${code}`);
      }
    }
  }
  try {
    const [event] = monthlyReturnDecider.decide(
      {
        type: 'SubmitMonthlyReturn',
        data: {
          serviceId: month.serviceId,
          period: month.period,
          values,
          framework: version,
          submittedBy: context.actor,
          signOff: context.signOff,
          now: context.now,
        },
      },
      { status: 'none' },
    );
    return problems.length > 0 ? { problems } : { event: event! };
  } catch (error) {
    if (!(error instanceof InvalidCommandError)) throw error;
    for (const fieldProblem of error.problems) {
      // A cell that could not be read is "missing" to the decider: said once, above.
      if (!unreadable.has(fieldProblem.field))
        problems.push(placeProblem(month, fieldProblem, format));
    }
    return { problems: dedupe(problems) };
  }
}

/** A problem the decider named by field (`period`, `values.EDU.parts.MH`), placed in the file. */
function placeProblem(
  month: ServiceMonth,
  { field, reason }: FieldProblem,
  format: ReturnsFile['format'],
): ImportProblem {
  const path = /^values\.([^.]+)(?:\.(.+))?$/.exec(field);
  if (!path) return { row: month.rows[0]!, column: field, reason };
  const [, code, member] = path as unknown as [string, string, string | undefined];
  const spreadsheetReason =
    !member && reason.startsWith('is missing')
      ? `is missing: give a value, or n/a (reason) when it does not apply${reason.replace(/^[^(]*\{[^}]*\}\s*/, ' ')}`
      : reason;
  const said = member
    ? `${member.replace(/^parts\./, '')} ${spreadsheetReason}`
    : spreadsheetReason;
  const cell = month.cells.get(code);
  if (cell) return cellProblem(cell, format, said);
  return {
    row: month.rows[0]!,
    column: format === 'csv' ? 'indicator' : code,
    reason: `${code} ${said}`,
  };
}

function cellProblem(
  cell: ImportedCell,
  format: ReturnsFile['format'],
  reason: string,
): ImportProblem {
  return {
    row: cell.row,
    column: cell.column,
    reason: format === 'csv' ? `${cell.code} ${reason}` : reason,
  };
}

/**
 * A month already stored: the cells that say something else than the return as it stands
 * (after any amendment). Importing does not amend: the return is amended, with a reason.
 */
function differencesFromStored(
  month: ServiceMonth,
  state: Extract<MonthlyReturnState, { status: 'submitted' }>,
  framework: KpiFrameworkState,
  format: ReturnsFile['format'],
): ImportProblem[] {
  const version = framework.versions.find((v) => v.version === state.frameworkVersion);
  const problems: ImportProblem[] = [];
  for (const [code, cell] of month.cells) {
    const indicator = version?.indicators.find((i) => i.code === code);
    const storedValue = Object.hasOwn(state.values, code) ? state.values[code] : undefined;
    if (indicator && storedValue !== undefined && cellMatches(indicator, cell, storedValue))
      continue;
    // A value that cannot be read says so, rather than that it differs from what is stored.
    const read = indicator && kindOf(indicator) !== 'derived' ? cellInput(indicator, cell) : null;
    if (read && 'problem' in read) {
      problems.push(cellProblem(cell, format, read.problem));
      continue;
    }
    const was =
      storedValue === undefined ? 'no value' : `${JSON.stringify(displayedValue(storedValue))}`;
    problems.push(
      cellProblem(
        cell,
        format,
        `differs from the return already submitted for ${month.serviceId} ${month.period} (${was}, submitted ${state.submittedAt}): amend that return to change it`,
      ),
    );
  }
  return problems;
}

const columnsOf = (file: ReturnsFile) =>
  file.format === 'csv'
    ? { service: 'service_id', period: 'period' }
    : { service: 'Service id', period: 'Month' };

function dedupe(problems: ImportProblem[]): ImportProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.row}\u0000${p.column}\u0000${p.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Reads streams in batches and folds each: stream id → state. */
async function foldStreams<State, Event>(
  store: EventStore,
  ids: readonly string[],
  decider: {
    initialState(): State;
    evolve(state: State, event: Event): State;
  },
): Promise<Map<string, State>> {
  const states = new Map<string, State>();
  for (let start = 0; start < ids.length; start += READ_CHUNK) {
    const streams = await store.readStreams(ids.slice(start, start + READ_CHUNK));
    for (const [id, events] of streams)
      states.set(
        id,
        foldEvents(
          decider,
          events.map((e) => toDomainEvent(e) as Event),
        ),
      );
  }
  return states;
}
