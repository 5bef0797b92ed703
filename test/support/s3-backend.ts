/**
 * The S3 backend for e2e tests: an in-process s3rver on 127.0.0.1 and a free
 * port, one bucket holding the given files (under an optional key prefix),
 * and the real AppModule started with MEDIA_BACKEND=s3 against it.
 *
 * s3rver's own range bugs (it answers `bytes=0-0` with the whole object,
 * serves a suffix `bytes=-n` as a prefix and has no multi-range) do not reach
 * the tests: the repository only sends explicit `bytes=a-b` ranges and cuts a
 * larger answer down. s3rver ignores If-Match, and sets LastModified itself,
 * so modification times cannot be chosen (`mtimes` is ignored here).
 */
import type { MetadataProber } from '../../src/derive/media-metadata.js';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './test-app.js';

/** The part of s3rver (a CommonJS class without type declarations) used here. */
interface S3rverOptions {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  resetOnClose?: boolean;
}

interface S3rverInstance {
  run(): Promise<{ port: number; address: string }>;
  close(): Promise<void>;
  /** Set by run(). */
  httpServer?: Server;
}

type S3rverClass = new (options: S3rverOptions) => S3rverInstance;

// s3rver is CommonJS (`module.exports = S3rver`) and ships no types: loaded
// with require, so that no declaration file is needed and no default-export
// interop question arises under Jest's native ESM.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export const S3RVER_ACCESS_KEY = 'S3RVER';
export const S3RVER_SECRET_KEY = 'S3RVER';
export const S3_TEST_REGION = 'us-east-1';

export interface S3RequestRecord {
  method: string;
  /** Path and query as received, percent-encoded. */
  url: string;
  range: string | undefined;
}

/** A running s3rver. */
export interface S3Server {
  endpoint: string;
  port: number;
  /** s3rver's data folder. */
  directory: string;
  /** Every request that reached s3rver since it started (or since `requests.length = 0`). */
  requests: S3RequestRecord[];
  /** An S3 client for the test itself, with s3rver's credentials. */
  client: S3Client;
  /** Stops the server (idempotent); its data folder stays until close(). */
  stop(): Promise<void>;
  /** Stops the server and removes its data folder. */
  close(): Promise<void>;
}

export function s3TestClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: S3_TEST_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_ACCESS_KEY, secretAccessKey: S3RVER_SECRET_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Starts s3rver on 127.0.0.1, a free port and a fresh temporary folder. */
export async function startS3rver(): Promise<S3Server> {
  const directory = await realpath(await mkdtemp(path.join(tmpdir(), 's3rver-e2e-')));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  let running = false;
  try {
    const { port } = await server.run();
    running = true;
    const requests: S3RequestRecord[] = [];
    // Records requests as they arrive, before s3rver's Koa app sees them.
    server.httpServer?.prependListener('request', (req: IncomingMessage) => {
      const range = req.headers.range;
      requests.push({ method: req.method ?? '', url: req.url ?? '', range: typeof range === 'string' ? range : undefined });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const client = s3TestClient(endpoint);
    const stop = async (): Promise<void> => {
      if (!running) return;
      running = false;
      // close() waits for open connections: the app's keep-alive sockets to
      // s3rver would hold it for their idle timeout.
      const closed = server.close();
      server.httpServer?.closeAllConnections();
      await closed;
    };
    return {
      endpoint,
      port,
      directory,
      requests,
      client,
      stop,
      close: async () => {
        client.destroy();
        await stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (running) await server.close().catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Creates `bucket` and puts each file at `prefix + id`. */
export async function uploadFiles(s3: S3Server, bucket: string, prefix: string, files: Record<string, Buffer>): Promise<void> {
  await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [id, bytes] of Object.entries(files)) {
    await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${id}`, Body: bytes }));
  }
}

/*
 * startApp sets process.env only while the module compiles; the AWS SDK reads
 * credentials from the environment lazily, at the first request, when
 * startApp has restored process.env already. Without the variables the
 * credential chain finds nothing (or asks the instance metadata service) and
 * every S3 request fails. So the credentials stay in process.env while any
 * S3 app of this helper is running; the last close() restores them.
 */
const CREDENTIAL_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: S3RVER_ACCESS_KEY,
  AWS_SECRET_ACCESS_KEY: S3RVER_SECRET_KEY,
};
let credentialHolders = 0;
let savedCredentials: Record<string, string | undefined> = {};

function holdCredentials(): () => void {
  if (credentialHolders === 0) {
    savedCredentials = Object.fromEntries(Object.keys(CREDENTIAL_ENV).map((name) => [name, process.env[name]]));
  }
  credentialHolders++;
  Object.assign(process.env, CREDENTIAL_ENV);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    credentialHolders--;
    if (credentialHolders > 0) return;
    for (const [name, value] of Object.entries(savedCredentials)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export interface S3StartOptions {
  /** Extra environment for the app (CACHE_MAX_AGE, MEDIA_EXTENSIONS, ...); overrides the S3 settings. */
  env?: Record<string, string>;
  /** Ignored: s3rver sets LastModified itself, so modification times cannot be chosen. */
  mtimes?: Record<string, number>;
  /** Key prefix of the media ('' or ending in '/'); '' by default. */
  prefix?: string;
  /** The bucket's name; 'media' by default. */
  bucket?: string;
  /** A prober instead of the app's own (see startApp). */
  prober?: MetadataProber;
}

/** The same shape as the contract suite's fs `start`, plus the S3 side. */
export interface StartedS3Backend {
  baseUrl: string;
  port: number;
  /** Strings no response may ever contain: s3rver's folder and endpoint, the app's (empty) media root. */
  secrets: string[];
  app: TestApp;
  s3: S3Server;
  bucket: string;
  prefix: string;
  /** Stops the app and s3rver and removes their folders. */
  close(): Promise<void>;
}

/**
 * Starts s3rver with `files` in a bucket and the real app serving them with
 * MEDIA_BACKEND=s3.
 */
export async function startS3Backend(files: Record<string, Buffer>, options: S3StartOptions = {}): Promise<StartedS3Backend> {
  const bucket = options.bucket ?? 'media';
  const prefix = options.prefix ?? '';
  const s3 = await startS3rver();
  let root: string | undefined;
  const release = holdCredentials();
  try {
    await uploadFiles(s3, bucket, prefix, files);
    // startApp needs an existing folder; the s3 backend never reads it.
    root = await makeMediaRoot();
    const app = await startApp(root, {
      MEDIA_BACKEND: 's3',
      S3_BUCKET: bucket,
      ...(prefix === '' ? {} : { S3_PREFIX: prefix }),
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_REGION: S3_TEST_REGION,
      ...CREDENTIAL_ENV,
      ...options.env,
    }, {}, options.prober === undefined ? {} : { prober: options.prober });
    const mediaRoot = root;
    let closed = false;
    return {
      baseUrl: app.baseUrl,
      port: app.port,
      secrets: [s3.directory, s3.endpoint, mediaRoot],
      app,
      s3,
      bucket,
      prefix,
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await app.close();
        } finally {
          await s3.close();
          await removeRoot(mediaRoot);
          release();
        }
      },
    };
  } catch (error) {
    await s3.close();
    if (root !== undefined) await removeRoot(root);
    release();
    throw error;
  }
}
