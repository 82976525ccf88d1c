import { UuidField } from '@app/core/validation/validators';

/** `{id}` of the note routes: a malformed id is a 400 naming `id` (docs/api.md §1.3). */
export class NoteIdParam {
  @UuidField({ description: 'Note id' })
  id: string;
}
