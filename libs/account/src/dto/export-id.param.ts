import { UuidField } from '@app/core/validation/validators';

export class ExportIdParam {
  @UuidField({ description: 'Export id' })
  id: string;
}
