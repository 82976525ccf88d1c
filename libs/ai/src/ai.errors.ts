import { DomainError } from '@app/core/errors/domain-error';

/** Provider unconfigured, failing, slow or unusable (docs/integrations.md §2): nothing is charged. */
export class AiServiceUnavailableError extends DomainError {
  constructor(message = 'The AI service is unavailable; nothing was charged') {
    super('AI_SERVICE_UNAVAILABLE', message);
  }
}

/** docs/rules.md §2.7: ten AI requests for this task in this AI session; carries no retry hint. */
export class AiTaskLimitReachedError extends DomainError {
  constructor() {
    super('AI_TASK_LIMIT_REACHED', 'AI request limit for this task reached in this session');
  }
}

/** `action_type` is a string naming none of the confirmable actions (docs/api.md §10.5). */
export class InvalidActionError extends DomainError {
  constructor(actionType: string) {
    super('INVALID_ACTION', `Unknown action_type "${actionType}"`);
  }
}
