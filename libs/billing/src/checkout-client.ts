import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import { PaymentServiceUnavailableError } from '@app/core/errors/domain-error';
import { field, stringField } from './json-fields';

export interface HostedPaymentRequest {
  amount: number;
  currency: string;
  payment_type: 'Recurring' | 'Regular';
  reference: string;
  description: string;
  customer: { email: string; name: string };
  billing: { address: { country: string } };
  success_url: string;
  cancel_url: string;
  failure_url: string;
  metadata: Record<string, string | number>;
}

export interface RenewalPaymentRequest {
  source: { type: 'id'; id: string };
  amount: number;
  currency: string;
  payment_type: 'Recurring';
  merchant_initiated: true;
  previous_payment_id: string | null;
  reference: string;
  description: string;
  metadata: Record<string, string>;
}

/** What a merchant-initiated payment answered (docs/integrations.md §4.6). */
export type RenewalAnswer =
  | { kind: 'approved'; paymentId: string; processedOn: Date | null; sourceId: string | null }
  | { kind: 'declined'; paymentId: string }
  | { kind: 'unusable'; reason: string };

/** Checkout.com's REST API at `CHECKOUT_API_URL`: one attempt per call, `CHECKOUT_TIMEOUT_MS` timeout. */
@Injectable()
export class CheckoutClient {
  private readonly logger = new Logger(CheckoutClient.name);
  private readonly baseUrl: string | undefined;
  private readonly secretKey: string | undefined;
  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    this.baseUrl = config.checkoutApiUrl;
    this.secretKey = config.CHECKOUT_SECRET_KEY;
    this.timeoutMs = config.CHECKOUT_TIMEOUT_MS;
  }

  get configured(): boolean {
    return Boolean(this.secretKey && this.baseUrl);
  }

  /** `POST /hosted-payments`; any failure is 503 PAYMENT_SERVICE_UNAVAILABLE. */
  async createHostedPayment(request: HostedPaymentRequest): Promise<{ id: string; checkoutUrl: string }> {
    let body: unknown;
    try {
      const response = await this.call('POST', '/hosted-payments', request);
      if (!response.ok) throw new Error(`hosted payment answered ${response.status}`);
      body = await response.json();
    } catch (error) {
      this.logger.warn({ err: error }, 'hosted payment session could not be created');
      throw new PaymentServiceUnavailableError();
    }
    const id = stringField(body, 'id');
    const checkoutUrl = stringField(field(field(body, '_links'), 'redirect'), 'href');
    if (!id || !checkoutUrl) {
      this.logger.warn('hosted payment answer lacks id or redirect link');
      throw new PaymentServiceUnavailableError();
    }
    return { id, checkoutUrl };
  }

  /** `POST /payments` with the stored card; never throws. */
  async chargeRenewal(request: RenewalPaymentRequest, idempotencyKey: string): Promise<RenewalAnswer> {
    try {
      const response = await this.call('POST', '/payments', request, { 'Cko-Idempotency-Key': idempotencyKey });
      if (response.status !== 201) return { kind: 'unusable', reason: `payment answered ${response.status}` };
      const body: unknown = await response.json();
      const approved = field(body, 'approved');
      const paymentId = stringField(body, 'id');
      if (typeof approved !== 'boolean' || !paymentId) {
        return { kind: 'unusable', reason: 'payment answer without approved/id' };
      }
      if (!approved) return { kind: 'declined', paymentId };
      const processedOn = new Date(stringField(body, 'processed_on') ?? NaN);
      return {
        kind: 'approved',
        paymentId,
        processedOn: Number.isNaN(processedOn.getTime()) ? null : processedOn,
        sourceId: stringField(field(body, 'source'), 'id'),
      };
    } catch (error) {
      return { kind: 'unusable', reason: error instanceof Error ? error.message : 'request failed' };
    }
  }

  /** The stored card (`source.id`) of a payment, from `GET /payments/{id}`; null when unknown. */
  async paymentSource(paymentId: string): Promise<string | null> {
    try {
      const response = await this.call('GET', `/payments/${encodeURIComponent(paymentId)}`);
      if (!response.ok) return null;
      return stringField(field(await response.json(), 'source'), 'id');
    } catch (error) {
      this.logger.warn({ err: error }, 'payment lookup failed');
      return null;
    }
  }

  private call(
    method: 'GET' | 'POST',
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    if (!this.baseUrl || !this.secretKey) return Promise.reject(new Error('Checkout.com is not configured'));
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.secretKey}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }
}
