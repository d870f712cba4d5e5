import { SingleBar, Presets } from 'cli-progress';

/**
 * A progress bar on stderr for long CLI work (stdout stays clean for JSON). In a terminal it
 * redraws in place; elsewhere (CI, a pipe) cli-progress prints nothing until `stop`.
 */
export function progressBar(
  label: string,
  unit: string,
): {
  update(done: number, total: number): void;
  stop(): void;
} {
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
      stream: process.stderr,
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
