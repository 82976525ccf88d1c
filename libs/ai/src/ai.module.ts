import { Module } from '@nestjs/common';
import { EffectiveLimitsModule } from '@app/achievements/effective-limits.module';
import { AiChatService } from './ai-chat.service';
import { AiChatStreamService } from './ai-chat-stream.service';
import { AiProviderModule } from './ai-provider.module';
import { AiSubtasksService } from './ai-subtasks.service';
import { AiTaskContextRepository } from './ai-task-context.repository';

/** The AI assistant (api.md §10): chat, chat stream, subtask generation and confirm-action. */
@Module({
  imports: [AiProviderModule, EffectiveLimitsModule],
  providers: [AiTaskContextRepository, AiChatService, AiChatStreamService, AiSubtasksService],
  exports: [AiChatService, AiChatStreamService, AiSubtasksService],
})
export class AiModule {}
