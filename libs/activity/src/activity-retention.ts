/** Activity entries are kept 30 days rolling (docs/rules.md §12). */
export const ACTIVITY_RETENTION_MS = 30 * 86_400_000;

export function retentionCutoff(now: Date): Date {
  return new Date(now.getTime() - ACTIVITY_RETENTION_MS);
}
