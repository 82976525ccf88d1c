import { Injectable } from '@nestjs/common';
import type { TaskEntity } from '@app/core/database/entities';
import { AppConfig } from '@app/core/config/app-config';
import { ForbiddenError, NotFoundError, ValidationError } from '@app/core/errors/domain-error';
import type { AuthUser } from '@app/core/http/auth-user';
import { UserGoneError } from '@app/core/http/route-user-check';
import { UUID_PATTERN } from '@app/core/validation/validators';
import { AiChat } from './ai.events';
import { AiChargeRequest, AiCharges } from './ai-charges.service';
import { filterSuggestedActions, parseChatContent, referencedTaskIds } from './ai-output-rules';
import { chatMessages } from './ai-prompts';
import { AiProviderClient, ChatMessage } from './ai-provider.client';
import { AiTaskContextRepository } from './ai-task-context.repository';
import type { ChatRequestDto } from './dto/chat-request.dto';
import type { ChatResponseDto } from './dto/chat-response.dto';

/** A chat request after every check up to the provider call (docs/api.md §1.9 steps 6–9). */
export interface PreparedChat {
  charge: AiChargeRequest;
  taskId: string | null;
  messages: ChatMessage[];
}

/** `POST /ai/chat` (docs/api.md §10.1, docs/integrations.md §2.1) and the preparation shared with the stream. */
@Injectable()
export class AiChatService {
  constructor(
    private readonly provider: AiProviderClient,
    private readonly charges: AiCharges,
    private readonly tasks: AiTaskContextRepository,
    private readonly config: AppConfig,
  ) {}

  async prepare(
    user: AuthUser,
    dto: ChatRequestDto,
    headerTaskId: string | undefined,
    streamed: boolean,
  ): Promise<PreparedChat> {
    const taskId = dto.task_id ?? this.headerTaskId(headerTaskId);
    this.provider.assertConfigured();
    const task = taskId ? await this.ownedTask(user.id, taskId) : null;
    const tasks = dto.context?.include_tasks ? await this.tasks.openTasks(user.id, dto.context.task_limit ?? 10) : null;
    const focused = task ? { task, subtasks: await this.tasks.subtasksOf(task.id) } : null;
    return {
      taskId,
      messages: chatMessages({ message: dto.message, history: dto.history ?? [], focused, tasks, streamed }),
      charge: {
        user,
        operation: streamed ? 'chat_stream' : 'chat',
        cost: this.config.AI_CREDIT_CHAT,
        operationRef: 'chat',
        description: streamed ? 'AI chat message (stream)' : 'AI chat message',
        countedTaskId: taskId,
      },
    };
  }

  async chat(user: AuthUser, dto: ChatRequestDto, headerTaskId: string | undefined): Promise<ChatResponseDto> {
    const prepared = await this.prepare(user, dto, headerTaskId, false);
    const settled = await this.charges.run(
      prepared.charge,
      async () => {
        const answer = parseChatContent(await this.provider.complete(prepared.messages, { json: true }));
        const own = await this.tasks.ownedTaskIds(user.id, referencedTaskIds(answer.actions));
        return { response: answer.response, actions: filterSuggestedActions(answer.actions, own) };
      },
      async (tx, answer, { creditsUsed, reservationId }) => {
        const payload = {
          task_id: prepared.taskId,
          credits_used: creditsUsed,
          streamed: false,
          reservation_id: reservationId,
        };
        await tx.emit(AiChat, payload, { userId: user.id, source: 'ai' });
        return answer;
      },
    );
    return {
      response: settled.result.response,
      suggested_actions: settled.result.actions,
      credits_used: settled.creditsUsed,
      credits_remaining: settled.creditsRemaining,
      ai_request_warning: settled.warning,
    };
  }

  /**
   * The task a request is about: 404 when unknown, 403 when another user's (any state is fine).
   * Also the route's user check (docs/round-trips.md §1): the caller's own task proves the caller
   * exists (tasks go with their user), otherwise a deleted caller is 401 before the 404 or 403.
   */
  async ownedTask(userId: string, taskId: string): Promise<TaskEntity> {
    const task = await this.tasks.findTask(taskId);
    if (task?.userId === userId) return task;
    if (!(await this.tasks.userExists(userId))) throw new UserGoneError();
    throw task ? new ForbiddenError() : new NotFoundError('Task');
  }

  private headerTaskId(header: string | undefined): string | null {
    if (header === undefined) return null;
    if (!UUID_PATTERN.test(header)) throw ValidationError.field('X-Task-Id', 'must be a UUID');
    return header.toLowerCase();
  }
}
