import type { AppConfig } from './app-config';

export interface ConfigurationReport {
  problems: string[];
  disabled: string[];
}

/**
 * The `configuration` readiness check (docs/api.md §17): unset integrations are normal and only listed;
 * configured values that cannot work (a partial VAPID set, for instance) are problems.
 */
export function checkConfiguration(config: AppConfig): ConfigurationReport {
  const disabled: string[] = [];
  const problems: string[] = [];
  if (!config.GOOGLE_CLIENT_ID) disabled.push('google_login');
  if (!config.OPENAI_API_KEY) disabled.push('ai');
  if (!config.DEEPGRAM_API_KEY || !config.ENABLE_VOICE_TRANSCRIPTION) disabled.push('voice_transcription');
  if (!config.CHECKOUT_SECRET_KEY) disabled.push('payments');
  if (!config.CHECKOUT_WEBHOOK_SECRET) disabled.push('payment_webhooks');
  if (!config.REDIS_URL) disabled.push('redis');
  const vapid = [config.VAPID_PUBLIC_KEY, config.VAPID_PRIVATE_KEY, config.VAPID_SUBJECT];
  const vapidSet = vapid.filter((v) => v !== undefined).length;
  if (vapidSet === 0) disabled.push('web_push');
  else if (vapidSet < 3) problems.push('VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT must be set together');
  if (config.REDIS_URL && !/^rediss?:\/\//.test(config.REDIS_URL))
    problems.push('REDIS_URL must start with redis:// or rediss://');
  return { problems, disabled };
}
