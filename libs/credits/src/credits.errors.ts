import { DomainError } from '@app/core/errors/domain-error';

/** 402 of docs/rules.md §2.6: the balance is below the cost; nothing was reserved or called. */
export class InsufficientCreditsError extends DomainError {
  constructor(required: number, available: number) {
    super('INSUFFICIENT_CREDITS', 'Not enough AI credits', {
      extra: { credits_required: required, credits_available: available },
    });
  }
}
