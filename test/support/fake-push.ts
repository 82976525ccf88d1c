import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createHmac, ECDH, randomBytes } from 'node:crypto';
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
  /** Status answered for a path (default 201). */
  statuses: Map<string, number>;
  subscriber(name?: string): PushSubscriber;
  close(): Promise<void>;
}

/**
 * A local HTTPS push service (docs/integrations.md §5, "Tests") with a self-signed certificate made
 * by openssl for 127.0.0.1. It records every message and answers 201 unless told otherwise.
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
        response.writeHead(statuses.get(path) ?? 201).end();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caFile: certFile,
    requests,
    statuses,
    subscriber: (name = randomBytes(8).toString('hex')) => subscriber(`${url}/push/${name}`),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
