// CPU and memory of another live process, read from /proc (Linux): for the subjects measured from
// outside (workerd, the servers of the emulator-ingest case, the bulk-bullmq workers).
import { readFileSync, writeFileSync } from 'node:fs';

/** User + system CPU of a process (every thread), in microseconds (clock ticks of 10 ms). */
export function cpuMicrosOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat; `fields` starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** The process's resident set now (VmRSS) or its high-water mark (VmHWM), in bytes. */
export function memoryOf(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

/** Sets the process's high-water mark back to its current RSS (writing 5 to its clear_refs). */
export function resetHighWaterMarkOf(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
