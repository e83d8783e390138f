import {
  DEFAULT_SIM_API_TOKEN,
  DEFAULT_SIM_EMAIL,
  SimRequestLogEntry,
  VirtualClock,
  ZendeskSimulator,
  ZendeskSimulatorOptions,
} from '@pim/testing';
import { ZendeskClient, ZendeskClientOptions } from './index';

/** Shared setup of the ZendeskClient specs: a simulator on a virtual clock, and rolling-window counts. */
export const START = Date.UTC(2025, 5, 2, 12, 0, 0);
export const MINUTE = 60_000;
export const longAgo = (clock: { now(): number }): number => Math.floor(clock.now() / 1000) - 200 * 86_400;

/** A simulator on a virtual clock shared with the client: every wait is free and exact. */
export async function virtualSetup(
  simOptions: ZendeskSimulatorOptions = {},
  clientOptions: Partial<ZendeskClientOptions> = {},
): Promise<{
  sim: ZendeskSimulator;
  clock: VirtualClock;
  client: ZendeskClient;
  url: string;
  make: (o?: Partial<ZendeskClientOptions>) => ZendeskClient;
}> {
  const clock = new VirtualClock(START);
  const sim = new ZendeskSimulator({ clock, dataset: { tickets: 300, seed: 7 }, ...simOptions });
  const { url } = await sim.start();
  const make = (o: Partial<ZendeskClientOptions> = {}): ZendeskClient =>
    new ZendeskClient({
      baseUrl: url,
      auth: { email: DEFAULT_SIM_EMAIL, apiToken: DEFAULT_SIM_API_TOKEN },
      clock,
      sleep: (ms) => clock.sleep(ms),
      ...clientOptions,
      ...o,
    });
  return { sim, clock, client: make(), url, make };
}

/** Max requests in any rolling window of `windowMs` among log entries (by arrival time). */
export function maxInWindow(entries: SimRequestLogEntry[], windowMs: number): number {
  const times = entries.map((e) => e.time).sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[lo] as number) <= (times[hi] as number) - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export const served = (e: SimRequestLogEntry): boolean => e.status !== 429;
export const incremental = (e: SimRequestLogEntry): boolean => e.path.startsWith('/api/v2/incremental/');
