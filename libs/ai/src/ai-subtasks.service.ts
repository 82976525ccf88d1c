import { Injectable } from '@nestjs/common';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import { AppConfig } from '@app/core/config/app-config';
import { ArchivedError } from '@app/core/errors/domain-error';
import type { AuthUser } from '@app/core/http/auth-user';
import { AiServiceUnavailableError } from './ai.errors';
import { AiSubtasksGenerated } from './ai.events';
import { AiCharges } from './ai-charges.service';
import { AiChatService } from './ai-chat.service';
import { parseSubtaskSuggestions } from './ai-output-rules';
import { subtaskMessages } from './ai-prompts';
import { AiProviderClient } from './ai-provider.client';
import type { GenerateSubtasksResponseDto } from './dto/generate-subtasks.dto';

/** `POST /ai/generate-subtasks` (docs/api.md §10.3, docs/integrations.md §2.3): suggestions only, nothing created. */
@Injectable()
export class AiSubtasksService {
  constructor(
    private readonly provider: AiProviderClient,
    private readonly charges: AiCharges,
    private readonly chat: AiChatService,
    private readonly limits: EffectiveLimitsService,
    private readonly config: AppConfig,
  ) {}

  async generate(user: AuthUser, taskId: string): Promise<GenerateSubtasksResponseDto> {
    this.provider.assertConfigured();
    const task = await this.chat.ownedTask(user.id, taskId);
    if (task.archived) throw new ArchivedError('Task');
    const { maxAiSubtaskSuggestions: limit } = await this.limits.forUser(user.id);
    const settled = await this.charges.run(
      {
        user,
        operation: 'subtask_generation',
        cost: this.config.AI_CREDIT_SUBTASK,
        operationRef: `subtask_generation:${task.id}`,
        description: 'AI subtask generation',
        countedTaskId: task.id,
      },
      async () => {
        const titles = parseSubtaskSuggestions(
          await this.provider.complete(subtaskMessages(task, limit), { json: true }),
          limit,
        );
        if (!titles)
          throw new AiServiceUnavailableError('The AI service returned no usable subtask; nothing was charged');
        return titles;
      },
      async (tx, titles, { creditsUsed }) => {
        await tx.emit(
          AiSubtasksGenerated,
          { task_id: task.id, count: titles.length, credits_used: creditsUsed },
          { userId: user.id, source: 'ai' },
        );
        return titles;
      },
    );
    return {
      suggested_subtasks: settled.result,
      credits_used: settled.creditsUsed,
      credits_remaining: settled.creditsRemaining,
      ai_request_warning: settled.warning,
    };
  }
}
