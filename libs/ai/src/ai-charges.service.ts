import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/core/errors/domain-error';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import type { AuthUser } from '@app/core/http/auth-user';
import { UserGoneError } from '@app/core/http/route-user-check';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { CreditReservation, CreditReservationsService } from '@app/credits/credit-reservations.service';
import { AI_TASK_WARNING_FROM, AiTaskCounter, AiTaskSlot } from './ai-task-counter';

export type AiOperation = 'chat' | 'chat_stream' | 'subtask_generation' | 'note_conversion' | 'transcription';

export interface AiChargeRequest {
  user: AuthUser;
  operation: AiOperation;
  cost: number;
  operationRef: string;
  description: string;
  /** Counted per (AI session, task) when set (docs/rules.md §2.7). */
  countedTaskId?: string | null;
}

/** A charge in flight: the per-task slot (if counted) and the credit reservation. */
export interface AiCharge {
  request: AiChargeRequest;
  reservation: CreditReservation;
  slot: AiTaskSlot | null;
  /** `ai_request_warning`: this request is the 5th or later for its task. */
  warning: boolean;
}

/** What a committed charge hands the use case's `record` step. */
export interface Charged {
  creditsUsed: number;
  reservationId: string;
}

export interface SettledCharge<R> {
  result: R;
  creditsUsed: number;
  creditsRemaining: number;
  warning: boolean;
}

/**
 * The charging envelope of every AI request (docs/rules.md §2.6–2.7, docs/api.md §1.9 steps 12–14): take the
 * per-task slot (429), reserve the credits (402), call the provider; on success commit the
 * reservation together with the use case's own event, otherwise release everything and give the
 * slot back, so a failed, slow or unusable answer costs nothing.
 */
@Injectable()
export class AiCharges {
  constructor(
    private readonly counter: AiTaskCounter,
    private readonly reservations: CreditReservationsService,
    private readonly uow: UnitOfWork,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Takes the slot and reserves the credits; in a request they commit with its idempotency claim
   * (reservation id = claim id) before the provider call (docs/api.md §1.10 "Exactly once").
   */
  async begin(request: AiChargeRequest): Promise<AiCharge> {
    const slot = request.countedTaskId ? await this.counter.take(request.user, request.countedTaskId) : null;
    const claim = this.uow.claim();
    try {
      const reservation = await this.reserve(request, claim);
      return { request, reservation, slot, warning: (slot?.count ?? 0) >= AI_TASK_WARNING_FROM };
    } catch (error) {
      if (slot) await this.counter.giveBack(slot);
      throw error;
    }
  }

  /**
   * The reservation, committed with the claim in the claim's statement; the caller's user check
   * (docs/round-trips.md §1): no user row is 401.
   */
  private async reserve(
    request: AiChargeRequest,
    claim: { id: string; takenOver: boolean } | undefined,
  ): Promise<CreditReservation> {
    try {
      return await this.reservations.reserveBeforeOutsideCall({
        userId: request.user.id,
        amount: request.cost,
        operationRef: request.operationRef,
        description: request.description,
        id: claim?.id,
        replacesPending: claim?.takenOver,
      });
    } catch (error) {
      throw error instanceof NotFoundError ? new UserGoneError() : error;
    }
  }

  /** Nothing charged: reservation released, slot given back. */
  async fail(charge: AiCharge): Promise<void> {
    this.metrics.aiRequests.inc({ operation: charge.request.operation, outcome: 'failure' });
    await this.reservations.release(charge.reservation);
    if (charge.slot) await this.counter.giveBack(charge.slot);
  }

  /**
   * Commits the reservation and runs `record` (the use case's event) in the same transaction; in a
   * request that transaction also stores the request's outcome.
   */
  async settle<R>(
    charge: AiCharge,
    record: (tx: Transaction, charged: Charged) => Promise<R>,
  ): Promise<SettledCharge<R>> {
    const settled = await this.uow.run(async (tx) => {
      const { charged: creditsUsed, balance } = await this.reservations.charge(tx, charge.reservation);
      const result = await record(tx, { creditsUsed, reservationId: charge.reservation.id });
      return { result, creditsUsed, creditsRemaining: balance.total, warning: charge.warning };
    });
    this.metrics.aiRequests.inc({ operation: charge.request.operation, outcome: 'success' });
    return settled;
  }

  /** begin → `call` → settle, or fail when `call` throws. */
  async run<T, R>(
    request: AiChargeRequest,
    call: () => Promise<T>,
    record: (tx: Transaction, value: T, charged: Charged) => Promise<R>,
  ): Promise<SettledCharge<R>> {
    const charge = await this.begin(request);
    let value: T;
    try {
      value = await call();
    } catch (error) {
      await this.fail(charge);
      throw error;
    }
    return this.settle(charge, (tx, charged) => record(tx, value, charged));
  }
}
