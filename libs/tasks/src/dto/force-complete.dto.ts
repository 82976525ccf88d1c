import { OptionalNotNull } from '@app/core/validation/validators';
import { VersionField } from './version-field';

/** Body of `POST /tasks/{id}/force-complete` (may be empty). */
export class ForceCompleteDto {
  @OptionalNotNull()
  @VersionField()
  version?: number;
}
