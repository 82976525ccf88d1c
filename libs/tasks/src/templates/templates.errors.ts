import { DomainError } from '@app/core/errors/domain-error';

export class TemplateInactiveError extends DomainError {
  constructor() {
    super('TEMPLATE_INACTIVE', 'The template is inactive; re-activate it to generate instances');
  }
}

export class TemplateExhaustedError extends DomainError {
  constructor() {
    super('TEMPLATE_EXHAUSTED', 'The template has no further occurrence (COUNT or UNTIL reached)');
  }
}
