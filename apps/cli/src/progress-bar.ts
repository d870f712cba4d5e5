import { Format, Presets, SingleBar, type GenericFormatter, type Params } from 'cli-progress';

export interface ProgressBar {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr for long CLI work (stdout stays clean for JSON). In a terminal it
 * redraws in place; elsewhere (CI, a pipe) cli-progress prints nothing until `stop`.
 */
export function progressBar(
  label: string,
  unit: string,
  stream: NodeJS.WritableStream = process.stderr,
): ProgressBar {
  const bar = new SingleBar(
    {
      format: progressLine(label, unit),
      stream,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(Math.max(total, done), done);
        started = true;
      }
      bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * The bar's line, with the time left only when there is one to show: cli-progress reports
 * an ETA it cannot compute (no progress yet, nothing to do, no time elapsed) as the strings
 * `INF` and `NULL`, which its time format prints as `NFs`/`LLs`; and `0s left` once finished
 * says nothing either.
 */
export function progressLine(label: string, unit: string): GenericFormatter {
  const line = `${label} [{bar}] {percentage}% | {value}/{total} ${unit}`;
  return (options, params, payload) =>
    Format.Formatter(
      { ...options, format: hasTimeLeft(params) ? `${line} | {eta_formatted} left` : line },
      params,
      payload,
    );
}

function hasTimeLeft(params: Params): boolean {
  const eta: unknown = params.eta;
  return typeof eta === 'number' && Number.isFinite(eta) && eta > 0 && params.value < params.total;
}
