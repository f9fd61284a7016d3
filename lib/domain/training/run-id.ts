/**
 * Identity of one training run, used for the dataset folder and the model version:
 * `YYYYMMDDTHHMMSSZ-<6 hex>`: sorts by time, and the suffix keeps two runs started in
 * the same second apart.
 */
export function makeRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const suffix = Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
  return `${stamp}-${suffix}`;
}

/** Model versions carry the algorithm so a registry listing reads on its own. */
export const modelVersionFor = (runId: string): string => `rf-${runId}`;

/** When the run of `runId` started (the stamp {@link makeRunId} put in it), or null for an id not made by it. */
export function runStartedAt(runId: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{6}$/.exec(runId);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}
