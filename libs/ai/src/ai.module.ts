import { Module } from '@nestjs/common';
import { AchievementsModule } from '@app/achievements/achievements.module';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { NotesModule } from '@app/notes/notes.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { AiChatService } from './ai-chat.service';
import { AiChatStreamService } from './ai-chat-stream.service';
import { AiProviderModule } from './ai-provider.module';
import { AiSubtasksService } from './ai-subtasks.service';
import { AiTaskContextRepository } from './ai-task-context.repository';
import { ConfirmActionService } from './confirm-action.service';
import { NoteConversionService } from './note-conversion.service';

/**
 * The AI assistant (docs/api.md §10): chat, chat stream, subtask generation, confirm-action and
 * note → task conversion (docs/api.md §8).
 */
@Module({
  imports: [AiProviderModule, EffectiveLimitsModule, AchievementsModule, TasksModule, NotesModule],
  providers: [
    AiTaskContextRepository,
    AiChatService,
    AiChatStreamService,
    AiSubtasksService,
    ConfirmActionService,
    NoteConversionService,
  ],
  exports: [AiChatService, AiChatStreamService, AiSubtasksService, ConfirmActionService, NoteConversionService],
})
export class AiModule {}
