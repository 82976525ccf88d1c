import { DomainError } from '@app/core/errors/domain-error';

/** 402 of docs/rules.md §2.6: the balance is below the cost; nothing was reserved or called. */
export class InsufficientCreditsError extends DomainError {
  constructor(required: number, available: number) {
    super(402, 'INSUFFICIENT_CREDITS', 'Not enough AI credits', {
      credits_required: required,
      credits_available: available,
    });
  }
}
