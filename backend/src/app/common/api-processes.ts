import cluster, { Worker } from 'node:cluster';

/** Wait before a process that died after it served is replaced (a crash loop does not spin the machine). */
export const RESPAWN_DELAY_MS = 1000;

export interface SupervisorOptions {
  /** The script each API process runs (default: this entry point, as `cluster.fork` does). */
  exec?: string;
  /** Variables added to this process's environment for each API process. */
  env?: Record<string, string>;
  /** Where the supervisor's own lines go (stderr by default). */
  log?: (line: string) => void;
  /** Ends the supervisor (default `process.exit`). */
  exit?: (code: number) => void;
}

export interface Supervisor {
  /** The API processes alive now. */
  readonly workers: () => Worker[];
  /** Stops every API process with `signal` and ends the supervisor once they exited. */
  stop(signal?: NodeJS.Signals): void;
}

/**
 * API_PROCESSES > 1: this (primary) process forks `count` API processes that share the listening port (Node's
 * cluster module hands each new connection to one of them), so a single machine's API uses every core. The primary
 * runs no application: it replaces a process that dies after it served (after RESPAWN_DELAY_MS), ends with code 1
 * when one dies before it ever listened (a start-up failure — configuration, database — that a restart would only
 * repeat), and forwards SIGTERM/SIGINT to every process, ending once they all shut down (each drains as one
 * process would).
 */
export function superviseApiProcesses(count: number, options: SupervisorOptions = {}): Supervisor {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  if (options.exec) cluster.setupPrimary({ exec: options.exec });
  const listened = new WeakSet<Worker>();
  let stopping = false;
  const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);

  const onListening = (worker: Worker) => void listened.add(worker);
  const onExit = (worker: Worker, code: number, signal: string | null) => {
    if (stopping) {
      if (!alive().length) finish(0);
      return;
    }
    if (!listened.has(worker)) {
      log(`API process ${worker.process.pid} failed to start (${signal ?? `exit code ${code}`}): stopping`);
      stop('SIGTERM', 1);
      return;
    }
    log(`API process ${worker.process.pid} exited (${signal ?? `exit code ${code}`}): starting another`);
    setTimeout(() => !stopping && cluster.fork(options.env), RESPAWN_DELAY_MS);
  };
  cluster.on('listening', onListening);
  cluster.on('exit', onExit);

  let exitCode = 0;
  const finish = (code: number) => {
    cluster.off('listening', onListening);
    cluster.off('exit', onExit);
    exit(Math.max(code, exitCode));
  };
  const stop = (signal: NodeJS.Signals = 'SIGTERM', code = 0) => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    const workers = alive();
    if (!workers.length) return finish(0);
    for (const w of workers) w.process.kill(signal);
  };
  for (let i = 0; i < count; i++) cluster.fork(options.env);
  return { workers: alive, stop: (signal) => stop(signal) };
}
