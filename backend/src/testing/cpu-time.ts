/** CPU milliseconds `fn` takes in this process (not wall time: a loaded CI machine does not inflate it). */
export function cpuMs(fn: () => unknown): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
