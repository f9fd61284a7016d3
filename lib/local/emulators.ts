/**
 * Embedded local AWS: kinesalite (Kinesis), dynalite (DynamoDB) and s3rver (S3), all
 * in-process, bound to 127.0.0.1, with the stream, bucket and tables created exactly as
 * lib/config/resources.ts declares them. Used by `npm start` and by integration tests
 * (see test/helpers/emulators.ts).
 *
 * Conventions:
 * - ports default to 0 (the OS picks a free port); pass fixed ports for a stable CLI setup;
 * - kinesalite and dynalite keep their data in memory; s3rver writes to a fresh temp dir
 *   (or `dataDir`) that is emptied on stop (`resetOnClose`) and removed if we created it;
 * - s3rver only accepts the access key `S3RVER`, so the env uses it for every service;
 * - s3rver's DES continuation tokens are fixed in-process by ./emulators/des-shim.ts; its
 *   delimited listings missing nested common prefixes, its conditional writes, its non-atomic
 *   writes and the file it left open on every 304 answer are fixed by patches/s3rver+3.7.1.patch.
 */

import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { resetClients } from '../adapters/clients.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, ENV, IDEMPOTENCY_TABLE, MODEL_REGISTRY_TABLE } from '../config/resources.ts';
import { installDesShim } from './emulators/des-shim.ts';
import { provisionResources } from './emulators/provision.ts';

const require = createRequire(import.meta.url);
// The emulator packages ship no type declarations; these are the parts used here.
const kinesalite = require('kinesalite') as (opts: Record<string, unknown>) => Server;
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => S3rverInstance;

const LOCAL_HOST = '127.0.0.1';
const LOCAL_REGION = 'us-east-1';
/** The only credentials s3rver accepts; kinesalite and dynalite accept anything. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface EmulatorOptions {
  /** Port per emulator; 0 or omitted = a free port chosen by the OS. */
  ports?: { kinesis?: number; dynamodb?: number; s3?: number };
  /** Directory for s3rver's objects; default: a new temp dir, removed on stop. */
  dataDir?: string;
}

export interface Emulators {
  /** Base URLs, e.g. `http://127.0.0.1:45123`. */
  endpoints: { kinesis: string; dynamodb: string; s3: string };
  /**
   * Environment a handler (or a child process, or the AWS CLI) needs to talk to these
   * emulators: AWS_ENDPOINT_URL_{KINESIS,DYNAMODB,S3}, AWS_REGION, the S3RVER credentials,
   * SDK checksum settings s3rver needs, and the resource names (DATA_BUCKET, AUDIT_TABLE, MODEL_TABLE, IDEMPOTENCY_TABLE).
   */
  env: Record<string, string>;
  /** Writes `env` into process.env (dropping AWS_SESSION_TOKEN/AWS_PROFILE) and resets the shared SDK clients. */
  applyEnv(): void;
  /** Closes all three servers (idempotent), restores process.env if applyEnv ran, resets the shared clients. */
  stop(): Promise<void>;
}

/** Starts an http.Server-like emulator on 127.0.0.1 and returns its port. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** kinesalite/dynalite override close() to also close their stores; idle keep-alive sockets are dropped too. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * Node servers close idle keep-alive sockets after 5 s, while the SDK's agent keeps reusing
 * them: a request sent just as the server closes one fails with ECONNRESET, and when that
 * happens while a GetObject body is being read the SDK cannot retry it (seen under load in
 * the end-to-end test). Real AWS endpoints keep connections far longer, so the emulators do
 * too: 0 turns the idle timeout off; stop() closes every connection anyway.
 */
function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 0;
}

export async function startEmulators(opts: EmulatorOptions = {}): Promise<Emulators> {
  installDesShim();
  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'stopping the emulators failed');
  };

  try {
    // Resources are created within milliseconds (the 500 ms defaults only slow start-up).
    const kinesis = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
    keepIdleConnections(kinesis);
    const kinesisPort = await listen(kinesis, opts.ports?.kinesis ?? 0);
    cleanups.push(() => closeServer(kinesis));

    const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    keepIdleConnections(dynamo);
    const dynamoPort = await listen(dynamo, opts.ports?.dynamodb ?? 0);
    cleanups.push(() => closeServer(dynamo));

    const ownDir = opts.dataDir === undefined;
    const directory = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'riskfn-s3rver-')));
    if (ownDir) {
      // A process that exits without stop() (process.exit, an uncaught error) still removes its temp dir.
      const removeOnExit = (): void => rmSync(directory, { recursive: true, force: true });
      process.once('exit', removeOnExit);
      cleanups.push(async () => {
        process.off('exit', removeOnExit);
        await rm(directory, { recursive: true, force: true });
      });
    }
    const s3 = new S3rver({
      address: LOCAL_HOST,
      port: opts.ports?.s3 ?? 0,
      silent: true,
      directory,
      resetOnClose: true,
    });
    const s3Port = (await s3.run()).port;
    if (s3.httpServer) keepIdleConnections(s3.httpServer);
    cleanups.push(async () => {
      const closing = s3.close();
      s3.httpServer?.closeAllConnections();
      await closing;
    });

    const endpoints = {
      kinesis: `http://${LOCAL_HOST}:${kinesisPort}`,
      dynamodb: `http://${LOCAL_HOST}:${dynamoPort}`,
      s3: `http://${LOCAL_HOST}:${s3Port}`,
    };
    await provision(endpoints);

    const env: Record<string, string> = {
      AWS_ENDPOINT_URL_KINESIS: endpoints.kinesis,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      // s3rver stores aws-chunked framing verbatim unless checksums are only sent when required;
      // lib/adapters/clients.ts sets this in code, these cover bundles and other SDK users.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      [ENV.dataBucket]: DATA_LAKE_BUCKET.localName,
      [ENV.auditTable]: AUDIT_TABLE.name,
      [ENV.modelTable]: MODEL_REGISTRY_TABLE.name,
      [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.name,
    };

    let saved: Record<string, string | undefined> | undefined;
    let stopped = false;
    return {
      endpoints,
      env,
      applyEnv() {
        const keys = [...Object.keys(env), 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];
        saved ??= Object.fromEntries(keys.map((k) => [k, process.env[k]]));
        delete process.env.AWS_SESSION_TOKEN;
        delete process.env.AWS_PROFILE;
        Object.assign(process.env, env);
        resetClients();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        resetClients(); // drop keep-alive sockets to the emulators first
        if (saved) {
          for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
          }
        }
        await runCleanups();
      },
    };
  } catch (err) {
    await runCleanups().catch(() => undefined);
    throw err;
  }
}

async function provision(endpoints: Emulators['endpoints']): Promise<void> {
  const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const clients = {
    kinesis: new KinesisClient({ ...common, endpoint: endpoints.kinesis, requestHandler: new NodeHttpHandler() }),
    s3: new S3Client({
      ...common,
      endpoint: endpoints.s3,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    dynamodb: new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb }),
  };
  try {
    await provisionResources(clients);
  } finally {
    clients.kinesis.destroy();
    clients.s3.destroy();
    clients.dynamodb.destroy();
  }
}
