import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';

/**
 * Starts the cron job `name` and registers it. Registered through SchedulerRegistry (not `@Cron`) because the
 * expression comes from the validated config, not from an import-time constant. `onTick` is given the job (its dates).
 */
export function startCronJob(
  registry: SchedulerRegistry,
  name: string,
  schedule: { cronTime: string; timeZone: string },
  onTick: (job: CronJob) => void,
): CronJob {
  const job: CronJob = CronJob.from({
    cronTime: schedule.cronTime,
    timeZone: schedule.timeZone,
    onTick: () => onTick(job),
    start: true,
  });
  registry.addCronJob(name, job as never);
  return job;
}

/** Stops and unregisters the cron job `name`, when it is registered. */
export function stopCronJob(registry: SchedulerRegistry | undefined, name: string): void {
  if (registry?.doesExist('cron', name)) registry.deleteCronJob(name);
}
