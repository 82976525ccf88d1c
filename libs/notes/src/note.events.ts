import { defineEvent } from '@app/core/events/domain-event';
import type { TranscriptionStatus } from '@app/core/database/enums';

export interface NotePayload {
  note_id: string;
}

export interface NoteUpdatedPayload extends NotePayload {
  changed_fields: string[];
}

export interface NoteConvertedPayload extends NotePayload {
  task_id: string;
  /** True the first time this note is converted (it counts for `notes_converted`, docs/rules.md §4). */
  first_conversion: boolean;
}

export interface NoteTranscribedPayload extends NotePayload {
  status: TranscriptionStatus;
}

const noteEntry =
  (action: string) =>
  (payload: NotePayload): { entityType: 'note'; entityId: string; action: string } => ({
    entityType: 'note',
    entityId: payload.note_id,
    action,
  });

export const NoteCreated = defineEvent<NotePayload>('note.created', noteEntry('note_created'));

export const NoteUpdated = defineEvent<NoteUpdatedPayload>('note.updated', (payload) => ({
  ...noteEntry('note_updated')(payload),
  metadata: { changed_fields: payload.changed_fields },
}));

export const NoteArchived = defineEvent<NotePayload>('note.archived', noteEntry('note_archived'));

export const NoteUnarchived = defineEvent<NotePayload>('note.unarchived', noteEntry('note_unarchived'));

export const NoteDeleted = defineEvent<NotePayload>('note.deleted', noteEntry('note_deleted'));

/** Emitted by confirm-action `convert_note` (source `ai`); achievements count first conversions. */
export const NoteConverted = defineEvent<NoteConvertedPayload>('note.converted', (payload) => ({
  ...noteEntry('note_converted')(payload),
  metadata: { task_id: payload.task_id, first_conversion: payload.first_conversion },
}));

export const NoteTranscribed = defineEvent<NoteTranscribedPayload>('note.transcribed', (payload) => ({
  ...noteEntry('note_transcribed')(payload),
  metadata: { status: payload.status },
}));
