import { ApiProperty } from '@nestjs/swagger';
import {
  DATA_EXPORT_STATUSES,
  DataExportEntity,
  DataExportStatus,
} from '@app/core/database/entities/data-export.entity';

export const EXPORTS_PATH = '/api/v1/users/me/export';

/** A requested export and where to download it once ready. */
export class DataExportDto {
  @ApiProperty({ description: 'Export id', format: 'uuid', example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })
  id: string;

  @ApiProperty({
    description: '`pending` while the job runner prepares it, then `ready` (downloadable) or `failed`',
    enum: DATA_EXPORT_STATUSES,
    enumName: 'DataExportStatus',
    example: 'pending',
  })
  status: DataExportStatus;

  @ApiProperty({ description: 'When it was requested (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({
    description: 'When it became ready or failed (UTC)',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  completed_at: string | null;

  @ApiProperty({
    description: 'Until when it can be downloaded (completed_at + 24 h); afterwards 404',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  expires_at: string | null;

  @ApiProperty({ description: 'Size of the JSON document in bytes', type: Number, nullable: true, example: null })
  size_bytes: number | null;

  @ApiProperty({
    description: 'API path of the download (answers 409 CONFLICT until the export is ready)',
    example: '/api/v1/users/me/export/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/download',
  })
  download_url: string;
}

export function downloadPath(exportId: string): string {
  return `${EXPORTS_PATH}/${exportId}/download`;
}

export function toDataExport(entity: DataExportEntity): DataExportDto {
  return {
    id: entity.id,
    status: entity.status,
    created_at: entity.createdAt.toISOString(),
    completed_at: entity.completedAt ? entity.completedAt.toISOString() : null,
    expires_at: entity.expiresAt ? entity.expiresAt.toISOString() : null,
    size_bytes: entity.sizeBytes,
    download_url: downloadPath(entity.id),
  };
}
