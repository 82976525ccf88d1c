/** Tombstone limits of docs/rules.md §9. */
export const MAX_TOMBSTONES_PER_USER = 3;
export const RECOVERY_WINDOW_MS = 7 * 86_400_000;
