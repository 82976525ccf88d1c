import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AchievementsService } from '@app/achievements/achievements.service';
import { SubscriptionService } from '@app/billing/subscription.service';
import type { DataExportEntity } from '@app/core/database/entities';
import { ConflictError } from '@app/core/errors/domain-error';
import { owned } from '@app/core/errors/owned';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { CreditsService } from '@app/credits/credits.service';
import { NotificationsService } from '@app/notifications/notifications.service';
import { exportExpiresAt, exportFileName, isExportExpired } from './account-rules';
import { DataExportCompleted, DataExportFailed, DataExportRequested } from './account.events';
import { DataExportsRepository } from './data-exports.repository';
import { DataExportDto, downloadPath, toDataExport } from './dto/data-export.dto';
import { buildExportDocument } from './export-document';
import { PersonalDataRepository } from './personal-data.repository';

export interface ExportDownload {
  fileName: string;
  content: string;
}

/** Personal-data exports: requested by the user, built by the `data_export` job, downloadable 24 h. */
@Injectable()
export class DataExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly exports: DataExportsRepository,
    private readonly personalData: PersonalDataRepository,
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationsService,
    private readonly achievements: AchievementsService,
    private readonly credits: CreditsService,
    private readonly subscriptions: SubscriptionService,
  ) {}

  /** Starts an export (job enqueued in the same transaction); while one is pending, that one is returned. */
  request(userId: string): Promise<DataExportDto> {
    return this.uow.run(async (tx) => {
      await tx.manager.query(`SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, [userId]);
      const pending = await this.exports.findPending(tx.manager, userId);
      if (pending) return toDataExport(pending);
      const created = await this.exports.insertPending(tx.manager, userId, new Date());
      await this.jobs.enqueue(
        tx.manager,
        'data_export',
        { export_id: created.id },
        { singletonKey: `data_export:${created.id}` },
      );
      await tx.emit(DataExportRequested, { export_id: created.id }, { userId, source: 'user' });
      return toDataExport(created);
    });
  }

  async get(userId: string, id: string): Promise<DataExportDto> {
    return toDataExport(await this.findOwned(userId, id, new Date()));
  }

  async download(userId: string, id: string): Promise<ExportDownload> {
    const found = await this.findOwned(userId, id, new Date());
    if (found.status === 'pending') throw new ConflictError('The export is still being prepared');
    if (found.status === 'failed') throw new ConflictError('The export failed; request a new one');
    return { fileName: exportFileName(found.completedAt as Date), content: found.content as string };
  }

  /**
   * The `data_export` job: reads everything in one snapshot, stores the document and notifies the
   * user in one transaction. False when there is nothing to do (already done, or account deleted).
   */
  async build(exportId: string, now: Date): Promise<boolean> {
    const found = await this.exports.findById(exportId);
    if (!found || found.status !== 'pending') return false;
    const userId = found.userId;
    const data = await this.dataSource.transaction('REPEATABLE READ', (manager) =>
      this.personalData.read(manager, userId),
    );
    if (!data) return false;
    const document = buildExportDocument(exportId, now, data, {
      achievements: await this.achievements.me(userId),
      creditBalance: await this.credits.balance(userId),
      subscription: await this.subscriptions.status(userId),
    });
    return this.uow.run(async (tx) => {
      const stored = await this.exports.complete(
        tx.manager,
        exportId,
        JSON.stringify(document),
        now,
        exportExpiresAt(now),
      );
      if (!stored) return false;
      await this.notifications.create(tx, {
        userId,
        type: 'system',
        title: 'Your data export is ready',
        body: 'Your Perpetua Flow data export is ready to download for the next 24 hours.',
        actionUrl: downloadPath(exportId),
        sourceRef: `data_export:${exportId}`,
        createdAt: now,
      });
      await tx.emit(DataExportCompleted, { export_id: exportId }, { userId, source: 'system', occurredAt: now });
      return true;
    });
  }

  /** After the job's last attempt failed: the export is `failed` and the user is told. */
  async fail(exportId: string, now: Date): Promise<void> {
    const found = await this.exports.findById(exportId);
    if (!found) return;
    await this.uow.run(async (tx) => {
      if (!(await this.exports.fail(tx.manager, exportId, now))) return;
      await this.notifications.create(tx, {
        userId: found.userId,
        type: 'system',
        title: 'Your data export failed',
        body: 'We could not prepare your Perpetua Flow data export. Please request a new one.',
        sourceRef: `data_export_failed:${exportId}`,
        createdAt: now,
      });
      await tx.emit(
        DataExportFailed,
        { export_id: exportId },
        { userId: found.userId, source: 'system', occurredAt: now },
      );
    });
  }

  private async findOwned(userId: string, id: string, now: Date): Promise<DataExportEntity> {
    const found = await this.exports.findById(id);
    // An expired export no longer exists for anyone: 404 before the ownership check.
    return owned(found && !isExportExpired(found.expiresAt, now) ? found : null, userId, 'Export');
  }
}
