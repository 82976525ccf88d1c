import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createHmac, createPublicKey, ECDH, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PushRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A browser-side push subscription: the endpoint plus the keys the client registers. */
export interface PushSubscriber {
  endpoint: string;
  p256dh: string;
  auth: string;
  /** Decrypts a message sent to this subscriber (RFC 8291 / RFC 8188 aes128gcm). */
  decrypt(body: Buffer): Record<string, unknown>;
}

export interface FakePush {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** PEM file of the self-signed certificate, for `PUSH_CA_CERT_FILE`. */
  caFile: string;
  requests: PushRequest[];
  /** Status answered for a path (default 201) when the request's VAPID authorization is valid. */
  statuses: Map<string, number>;
  /**
   * The application server key subscriptions were created with (base64url), as a push service
   * binds each subscription to it: a request signed with another key is refused 403. Null: any key.
   */
  vapidPublicKey: string | null;
  subscriber(name?: string): PushSubscriber;
  close(): Promise<void>;
}

/**
 * Why a request's `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292) would be refused by a push
 * service, or null when it is valid: an ES256 JWT signed by `k`, `aud` the push service's origin,
 * `exp` in the future and at most 24 h away, `sub` a `mailto:` or `https:` contact.
 */
export function vapidProblem(authorization: string | undefined, origin: string, now = Date.now()): string | null {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!match) return 'no vapid authorization';
  const [, token, key] = match;
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) return 'k is not an uncompressed P-256 point';
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const [header, claims, signature] = token.split('.');
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'bad signature';
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
  if (alg !== 'ES256') return `alg ${alg}`;
  const { aud, exp, sub } = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  if (aud !== origin) return `aud ${aud}`;
  const seconds = now / 1000;
  if (typeof exp !== 'number' || exp <= seconds || exp > seconds + 24 * 3600) return `exp ${exp}`;
  if (typeof sub !== 'string' || !/^(mailto:|https:)/.test(sub)) return `sub ${sub}`;
  return null;
}

/**
 * A local HTTPS push service (docs/integrations.md §5, "Tests") with a self-signed certificate made
 * by openssl for 127.0.0.1. It records every message, checks its VAPID authorization as a push
 * service does (401 when invalid, 403 when signed with another key than `vapidPublicKey`) and
 * answers 201 unless told otherwise.
 */
export async function startFakePush(): Promise<FakePush> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-push-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const requests: PushRequest[] = [];
  const statuses = new Map<string, number>();
  const server: Server = createServer(
    { key: readFileSync(keyFile), cert: readFileSync(certFile) },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        requests.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
        const problem = vapidProblem(request.headers.authorization, url);
        if (problem) {
          response.writeHead(401, { 'content-type': 'text/plain' }).end(`invalid VAPID authorization: ${problem}`);
          return;
        }
        const key = /k=([\w-]+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (fake.vapidPublicKey !== null && key !== fake.vapidPublicKey) {
          response.writeHead(403, { 'content-type': 'text/plain' }).end('VAPID key does not match the subscription');
          return;
        }
        response.writeHead(statuses.get(path) ?? 201).end();
      });
    },
  );
  let url = '';
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakePush = {
    url,
    caFile: certFile,
    requests,
    statuses,
    vapidPublicKey: null,
    subscriber: (name = randomBytes(8).toString('hex')) => subscriber(`${url}/push/${name}`),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fake;
}

function subscriber(endpoint: string): PushSubscriber {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    endpoint,
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: auth.toString('base64url'),
    decrypt: (body) => JSON.parse(decryptAes128gcm(body, ecdh, auth).toString('utf8')) as Record<string, unknown>,
  };
}

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of data) mac.update(part);
  return mac.digest();
}

/** RFC 8291 key derivation and one RFC 8188 record. */
function decryptAes128gcm(body: Buffer, receiver: ECDH, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = receiver.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderPublic]);
  const ikm = hmac(hmac(authSecret, shared), keyInfo, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0'), Buffer.from([1])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0'), Buffer.from([1])).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  return padded.subarray(0, padded.lastIndexOf(2));
}
