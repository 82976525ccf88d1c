import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Provider } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';

/** Injection token of the `https.Agent` push deliveries use. */
export const PUSH_HTTPS_AGENT = Symbol('PUSH_HTTPS_AGENT');

/** The system trust store, plus the CA certificates of `PUSH_CA_CERT_FILE` when set. */
export const pushHttpsAgentProvider: Provider = {
  provide: PUSH_HTTPS_AGENT,
  inject: [AppConfig],
  useFactory: (config: AppConfig): Agent =>
    new Agent({
      ca: config.PUSH_CA_CERT_FILE ? [...rootCertificates, readFileSync(config.PUSH_CA_CERT_FILE, 'utf8')] : undefined,
    }),
};
