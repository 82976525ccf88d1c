import { defineEvent } from '@app/core/events/domain-event';

export interface DataExportPayload {
  export_id: string;
}

export const DataExportRequested = defineEvent<DataExportPayload>('user.data_export_requested', (payload, event) => ({
  entityType: 'user',
  entityId: event.userId,
  action: 'data_export_requested',
  metadata: { export_id: payload.export_id },
}));

export const DataExportCompleted = defineEvent<DataExportPayload>('user.data_export_completed', (payload, event) => ({
  entityType: 'user',
  entityId: event.userId,
  action: 'data_export_completed',
  metadata: { export_id: payload.export_id },
}));

export const DataExportFailed = defineEvent<DataExportPayload>('user.data_export_failed', (payload, event) => ({
  entityType: 'user',
  entityId: event.userId,
  action: 'data_export_failed',
  metadata: { export_id: payload.export_id },
}));
