import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { VoiceSessionEntity } from '@app/core/database/entities';
import type { VoiceSessionEndReason, VoiceSessionStatus } from '@app/core/database/enums';

export interface SessionEnd {
  status: Exclude<VoiceSessionStatus, 'active'>;
  endReason: VoiceSessionEndReason;
  endedAt: Date;
  durationSeconds: number;
  creditsUsed: number;
  transcript: string;
  errorCode: string | null;
}

const UNIQUE_VIOLATION = '23505';

/** Queries of `voice_sessions` (docs/data-model.md §19). */
@Injectable()
export class VoiceSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string): Promise<VoiceSessionEntity | null> {
    return this.dataSource.manager.findOneBy(VoiceSessionEntity, { id });
  }

  /** The user's `active` sessions started at or before `startedBefore`, locked. */
  staleActive(manager: EntityManager, userId: string, startedBefore: Date): Promise<VoiceSessionEntity[]> {
    return manager
      .createQueryBuilder(VoiceSessionEntity, 's')
      .setLock('pessimistic_write')
      .where("s.user_id = :userId AND s.status = 'active' AND s.started_at <= :startedBefore", {
        userId,
        startedBefore,
      })
      .getMany();
  }

  async hasActive(manager: EntityManager, userId: string): Promise<boolean> {
    return (await manager.countBy(VoiceSessionEntity, { userId, status: 'active' })) > 0;
  }

  /** Inserts the user's active session; null when another one is active (the unique partial index). */
  async insertActive(
    manager: EntityManager,
    userId: string,
    language: string,
    now: Date,
  ): Promise<VoiceSessionEntity | null> {
    try {
      return await manager.save(
        VoiceSessionEntity,
        manager.create(VoiceSessionEntity, {
          userId,
          status: 'active',
          language,
          startedAt: now,
          createdAt: now,
          updatedAt: now,
        }),
      );
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION)
        return null;
      throw error;
    }
  }

  async end(manager: EntityManager, id: string, end: SessionEnd): Promise<void> {
    await manager.update(
      VoiceSessionEntity,
      { id, status: 'active' },
      {
        status: end.status,
        endReason: end.endReason,
        endedAt: end.endedAt,
        durationSeconds: end.durationSeconds,
        creditsUsed: end.creditsUsed,
        transcript: end.transcript,
        errorCode: end.errorCode,
        updatedAt: end.endedAt,
      },
    );
  }
}
