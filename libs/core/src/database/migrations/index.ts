import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { ReminderDueNotify1767312000000 } from './1767312000000-reminder-due-notify';
import { CalendarExportSync1767484800000 } from './1767484800000-calendar-export-sync';
import { ListOrderIndexes1767657600000 } from './1767657600000-list-order-indexes';
import { IdempotencyVerbatimBody1768000000000 } from './1768000000000-idempotency-verbatim-body';
import { CalendarContentStamp1768100000000 } from './1768100000000-calendar-content-stamp';
import { JobScanIndexes1768400000000 } from './1768400000000-job-scan-indexes';
import { JobBatchRuns1768400000001 } from './1768400000001-job-batch-runs';
import { BurstAndStreakIndexes1768400000002 } from './1768400000002-burst-and-streak-indexes';
import { SubscriptionLastEventAt1768550000000 } from './1768550000000-subscription-last-event-at';
import { PersonalAccessTokens1768560000000 } from './1768560000000-personal-access-tokens';
import { EventStream1768560000001 } from './1768560000001-event-stream';
import { ReminderSyncPerStatement1768600000000 } from './1768600000000-reminder-sync-per-statement';

/** Every migration, oldest first; the one list used by the API, the worker and `ormconfig.ts`. */
export const MIGRATIONS = [
  InitialSchema1767225600000,
  ReminderDueNotify1767312000000,
  CalendarExportSync1767484800000,
  ListOrderIndexes1767657600000,
  IdempotencyVerbatimBody1768000000000,
  CalendarContentStamp1768100000000,
  JobScanIndexes1768400000000,
  JobBatchRuns1768400000001,
  BurstAndStreakIndexes1768400000002,
  SubscriptionLastEventAt1768550000000,
  PersonalAccessTokens1768560000000,
  EventStream1768560000001,
  ReminderSyncPerStatement1768600000000,
];
