/** A ready export can be downloaded this long (docs/export-and-deletion.md). */
export const EXPORT_TTL_MS = 24 * 60 * 60 * 1000;
/** Bookkeeping records of a deleted account's payments are kept this many years. */
export const PAYMENT_RECORD_RETENTION_YEARS = 10;

export function exportExpiresAt(completedAt: Date): Date {
  return new Date(completedAt.getTime() + EXPORT_TTL_MS);
}

/** An export stops existing for its owner at `expires_at` (404 from then on). */
export function isExportExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

export function paymentRecordRetainUntil(deletedAt: Date): Date {
  const until = new Date(deletedAt.getTime());
  until.setUTCFullYear(until.getUTCFullYear() + PAYMENT_RECORD_RETENTION_YEARS);
  return until;
}

/** Deletion is confirmed by typing the account's email address (case and surrounding spaces ignored). */
export function confirmsDeletion(confirm: string, email: string): boolean {
  return confirm.trim().toLowerCase() === email.trim().toLowerCase();
}

/** `perpetua-flow-export-2026-01-19.json` */
export function exportFileName(exportedAt: Date): string {
  return `perpetua-flow-export-${exportedAt.toISOString().slice(0, 10)}.json`;
}
