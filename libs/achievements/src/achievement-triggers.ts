import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@app/core/events/event-bus';
import { NoteConverted } from '@app/notes/note.events';
import { TaskCompleted } from '@app/tasks/task.events';
import { AchievementProgressService } from './achievement-progress.service';

/** Collection keys the completing use case reads back (returned inline, docs/rules.md §3.2). */
export const UNLOCKED_ACHIEVEMENTS = 'unlocked_achievements';
export const STREAK = 'streak';

/**
 * Statistics, streaks and achievements in the transaction of the change that caused them (tx):
 * counted task completions (any mode) and first note conversions.
 */
@Injectable()
export class AchievementTriggers implements OnModuleInit {
  constructor(
    private readonly bus: EventBus,
    private readonly progress: AchievementProgressService,
  ) {}

  onModuleInit(): void {
    this.bus.on(TaskCompleted, 'tx', 'achievements-task-completed', async (event, tx) => {
      const { counted, completed_at: completedAt } = event.payload;
      if (!counted) {
        tx.collect(STREAK, await this.progress.reportedStreak(tx, event.userId, completedAt));
        return;
      }
      const outcome = await this.progress.recordCompletion(tx, event.userId, {
        completedAt,
        focusTimeSeconds: event.payload.focus_time_seconds,
        estimatedDuration: event.payload.estimated_duration,
      });
      tx.collect(UNLOCKED_ACHIEVEMENTS, ...outcome.unlocked);
      tx.collect(STREAK, outcome.currentStreak);
    });
    this.bus.on(NoteConverted, 'tx', 'achievements-note-converted', async (event, tx) => {
      if (!event.payload.first_conversion) return;
      tx.collect(
        UNLOCKED_ACHIEVEMENTS,
        ...(await this.progress.recordNoteConversion(tx, event.userId, event.occurredAt)),
      );
    });
  }
}
