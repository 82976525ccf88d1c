import { UuidField } from '@app/core/validation/validators';

/** `{tombstone_id}` path parameter. */
export class TombstoneIdParamDto {
  @UuidField({ description: 'Tombstone id' })
  tombstone_id: string;
}
