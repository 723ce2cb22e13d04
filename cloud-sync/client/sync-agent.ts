/**
 * The store-and-forward agent: ships the gateway's outbox to the cloud in seq
 * order, one batch in flight, and moves the store's cursor only on the cloud's
 * answer (protocol README "What the sync agent does").
 *
 * Exactly-once rests on the cloud: every record carries (gateway, seq), the cloud
 * upserts on it and answers its contiguous watermark. So the agent may resend
 * freely (after a timeout, a crash, a restart) and starts each session at the
 * cloud's watermark (an empty probe batch), which is also how it resumes after a
 * restart or a cloud restored from a backup.
 */
import type { DeviceConfig, HeartbeatAck, IngestBatch, OutboxRecord } from '../protocol/index.js';
import { MAX_BATCH_RECORDS } from '../protocol/index.js';
import { Backoff } from './backoff.js';
import { CloudHttp, type CloudOutcome } from './cloud-http.js';
import { readCredentialFile, type CloudCredential } from './credential-file.js';
import type { ConfigSink, SyncAgentOptions, SyncLogger, SyncState, SyncStatus } from './sync-agent-contract.js';
import { Wakeup } from './wakeup.js';

export type { ConfigSink, SyncAgentOptions, SyncLogger, SyncState, SyncStatus } from './sync-agent-contract.js';

const silent: SyncLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const REPROVISION = 're-provision needed: easygas provision --cloud URL --code CODE';
const BACKLOG_REFRESH_MS = 5_000;

export class SyncAgent {
  readonly #o: SyncAgentOptions;
  readonly #log: SyncLogger;
  readonly #now: () => number;
  readonly #backoff: Backoff;
  readonly #wake = new Wakeup();
  #running = false;
  #loop: Promise<void> | undefined;
  #http: CloudHttp | undefined;
  #credential: CloudCredential | undefined;
  /** mtime of the credential file in use, or of the one refused with a 401. */
  #credentialMtime = -1;
  #refusedMtime: number | undefined;
  #batchMax: number;
  #state: SyncState = 'idle';
  #cursor: number | undefined;
  #backlog = 0;
  #backlogAt = -Infinity;
  #lastSyncAt: number | undefined;
  #lastError: string | undefined;
  #sent = { batches: 0, records: 0, bytes: 0, duplicates: 0 };
  #passWaiters: (() => void)[] = [];
  #heartbeatDue = 0;
  #configWanted = true;
  #calibrationsWanted = true;

  constructor(options: SyncAgentOptions) {
    this.#o = options;
    this.#log = options.logger ?? silent;
    this.#now = options.now ?? Date.now;
    this.#backoff = new Backoff({ capMs: options.retryMaxMs ?? 60_000, ...(options.random ? { random: options.random } : {}) });
    this.#batchMax = Math.min(options.batchMaxRecords ?? 500, MAX_BATCH_RECORDS);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run().catch((err: unknown) => {
      this.#log.error({ err: String(err) }, 'sync loop ended unexpectedly; restart the gateway');
      this.#lastError = `sync stopped: ${String(err)}`;
    });
  }

  /** Stops after the request in flight (if any) ends or times out; the cursor is already durable. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake.wake();
    // Aborts a request in flight: its batch, stored or not, is resent next time (harmless).
    this.#dropHttp();
    await this.#loop;
    this.#dropHttp();
    for (const done of this.#passWaiters.splice(0)) done();
  }

  status(): SyncStatus {
    return {
      state: this.#state,
      backlog: this.#backlog,
      ...(this.#lastSyncAt === undefined ? {} : { lastSyncAt: this.#lastSyncAt }),
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
      ...(this.#cursor === undefined ? {} : { cursor: this.#cursor }),
      ...(this.#credential === undefined ? {} : { gatewayId: this.#credential.gatewayId, cloudUrl: this.#credential.cloudUrl }),
      retries: this.#backoff.attempt,
      sent: { ...this.#sent },
    };
  }

  /**
   * Tries now: ends a backoff wait, tries a refused credential once more, and resolves
   * with the status once this pass has drained the outbox or failed.
   */
  syncNow(): Promise<SyncStatus> {
    if (!this.#running) return Promise.resolve(this.status());
    const passed = new Promise<void>((resolve) => this.#passWaiters.push(resolve));
    // A person asked: one more try even with a credential refused before.
    this.#refusedMtime = undefined;
    this.#heartbeatDue = 0;
    this.#wake.wake();
    return passed.then(() => this.status());
  }

  /** The gateway measured a calibration: upload it with the next pass. */
  calibrationsChanged(): void {
    this.#calibrationsWanted = true;
    this.#wake.wake();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let waitMs: number;
      try {
        waitMs = await this.#pass();
      } catch (err) {
        // The store did not answer (worker restarting, disk trouble): nothing is lost, try again later.
        this.#state = 'backoff';
        waitMs = this.#backoff.next();
        this.#lastError = `the gateway's store did not answer (${String(err)}); retrying in ${Math.round(waitMs / 1000)} s`;
        this.#log.warn({ waitMs }, this.#lastError);
      }
      if (!this.#running) break;
      this.#o.onPass?.(this.status());
      for (const done of this.#passWaiters.splice(0)) done();
      await this.#wake.sleep(waitMs);
    }
  }

  /** One pass: credential, heartbeat, config, then batches until empty or failure. Returns how long to wait. */
  async #pass(): Promise<number> {
    const checkMs = this.#o.credentialCheckMs ?? 5_000;
    if (!this.#loadCredential()) {
      // Not provisioned (yet): the status still counts what waits for the cloud.
      await this.#refreshBacklog(true);
      return checkMs;
    }
    const http = this.#http;
    if (http === undefined) return checkMs;

    if (this.#now() >= this.#heartbeatDue && this.#o.heartbeat !== undefined) {
      const failure = await this.#sendHeartbeat(http);
      if (failure !== undefined) return failure;
    }
    if ((this.#configWanted || this.#calibrationsWanted) && this.#o.config !== undefined) {
      const failure = await this.#syncConfig(http, this.#o.config);
      if (failure !== undefined) return failure;
    }
    if (this.#cursor === undefined) {
      // A new session starts at the cloud's watermark: an empty probe answers it.
      const failure = await this.#probe(http);
      if (failure !== undefined) return failure;
    }
    const limits = { maxRecords: this.#batchMax, maxBytes: this.#o.batchMaxBytes ?? 262_144 };
    // The next batch is read from the store while this one is on the wire (still one batch in flight).
    let prefetch: { readonly after: number; readonly records: Promise<readonly OutboxRecord[]> } | undefined;
    while (this.#running && this.#cursor !== undefined) {
      const cursor = this.#cursor;
      const records = await (prefetch?.after === cursor ? prefetch.records : this.#o.outbox.read(cursor, limits));
      const last = records[records.length - 1];
      if (last === undefined) {
        this.#state = 'idle';
        await this.#refreshBacklog(true);
        return Math.min(this.#o.pollIntervalMs ?? 1_000, Math.max(0, this.#heartbeatDue - this.#now()));
      }
      this.#state = 'syncing';
      const ahead = this.#o.outbox.read(last.seq, limits);
      ahead.catch(() => undefined); // a failed read-ahead is read again, or surfaces when awaited
      prefetch = { after: last.seq, records: ahead };
      const failure = await this.#sendBatch(http, cursor, records);
      if (failure !== undefined) return failure;
      if (this.#now() >= this.#heartbeatDue && this.#o.heartbeat !== undefined) {
        const hbFailure = await this.#sendHeartbeat(http);
        if (hbFailure !== undefined) return hbFailure;
      }
    }
    return 0;
  }

  async #sendBatch(http: CloudHttp, afterSeq: number, records: readonly OutboxRecord[]): Promise<number | undefined> {
    const last = records[records.length - 1];
    if (last === undefined) return undefined;
    // lastSeq is the last record's, never the store's: rows past it may be committing now.
    const batch: IngestBatch = { afterSeq, lastSeq: last.seq, records: records as OutboxRecord[] };
    const outcome = await http.ingest(batch);
    if (outcome.kind === 'ok') {
      this.#sent.batches++;
      this.#sent.records += records.length;
      this.#sent.bytes += outcome.sentBytes ?? 0;
      this.#sent.duplicates += outcome.value.duplicates;
      await this.#acknowledge(outcome.value.ackedSeq);
      this.#succeeded();
      if (outcome.value.ackedSeq < last.seq) {
        // The cloud holds a gap below this batch (restored from a backup): it resumes from its watermark.
        this.#log.warn({ ackedSeq: outcome.value.ackedSeq, lastSeq: last.seq }, 'the cloud is behind this batch; resending from its watermark');
      }
      return undefined;
    }
    if (outcome.kind === 'too-large' && this.#batchMax > 1) {
      this.#batchMax = Math.max(1, Math.floor(this.#batchMax / 2));
      this.#log.warn({ batchMaxRecords: this.#batchMax }, 'the cloud refused the batch as too large; sending smaller ones');
      return 0;
    }
    return this.#failed(outcome, 'upload');
  }

  async #probe(http: CloudHttp): Promise<number | undefined> {
    const outcome = await http.ingest({ afterSeq: 0, lastSeq: 0, records: [] });
    if (outcome.kind !== 'ok') return this.#failed(outcome, 'probe');
    this.#cursor = outcome.value.ackedSeq;
    await this.#acknowledge(outcome.value.ackedSeq);
    this.#succeeded(false);
    this.#log.info({ ackedSeq: this.#cursor }, 'sync session: resuming at the cloud watermark');
    return undefined;
  }

  async #acknowledge(ackedSeq: number): Promise<void> {
    this.#cursor = ackedSeq;
    // The store never moves its cursor back, and never past what it holds.
    await this.#o.outbox.ack(ackedSeq);
    this.#lastSyncAt = this.#now();
    await this.#refreshBacklog(false);
  }

  async #sendHeartbeat(http: CloudHttp): Promise<number | undefined> {
    const build = this.#o.heartbeat;
    if (build === undefined) return undefined;
    const outcome = await http.heartbeat(await build());
    const interval = this.#o.heartbeatIntervalMs ?? 60_000;
    if (outcome.kind === 'rejected') {
      // A heartbeat the cloud cannot read must not hold the readings back.
      this.#heartbeatDue = this.#now() + interval;
      this.#log.error({ message: outcome.message }, 'the cloud refused the heartbeat; carrying on with the upload');
      return undefined;
    }
    if (outcome.kind !== 'ok') return this.#failed(outcome, 'heartbeat');
    this.#heartbeatDue = this.#now() + interval;
    this.#onHeartbeatAck(outcome.value);
    return undefined;
  }

  #onHeartbeatAck(ack: HeartbeatAck): void {
    const held = this.#o.config?.heldVersion();
    if (held !== ack.configVersion) this.#configWanted = true;
    const skew = ack.serverTime - this.#now();
    if (Math.abs(skew) > 60_000) this.#log.warn({ skewMs: skew }, "this gateway's clock differs from the cloud's by more than a minute: check NTP (timedatectl)");
  }

  async #syncConfig(http: CloudHttp, sink: ConfigSink): Promise<number | undefined> {
    const outcome: CloudOutcome<DeviceConfig> = this.#configWanted ? await http.fetchConfig(sink.heldVersion()) : { kind: 'not-modified' };
    if (outcome.kind === 'not-modified') {
      this.#configWanted = false;
    } else if (outcome.kind === 'ok') {
      const problems = await sink.apply(outcome.value);
      if (problems.length > 0) this.#log.warn({ version: outcome.value.version, problems }, 'cloud config applied in part: these parts were refused');
      else this.#log.info({ version: outcome.value.version }, 'cloud config applied');
      this.#configWanted = false;
    } else if (outcome.kind === 'rejected') {
      this.#configWanted = false;
      this.#log.error({ message: outcome.message }, 'the cloud refused the config request; keeping the config held locally');
    } else {
      return this.#failed(outcome, 'config');
    }
    const upload = this.#calibrationsWanted ? sink.localCalibrations?.() : undefined;
    this.#calibrationsWanted = false;
    if (upload !== undefined && Object.keys(upload.calibrations).length > 0) {
      const sent = await http.putCalibrations(upload);
      if (sent.kind !== 'ok') {
        this.#calibrationsWanted = true;
        return this.#failed(sent, 'calibrations');
      }
      sink.calibrationsUploaded?.(upload);
    }
    return undefined;
  }

  #succeeded(clearError = true): void {
    this.#backoff.reset();
    if (clearError) this.#lastError = undefined;
  }

  /** Turns a failed outcome into a state and a wait. */
  #failed(outcome: CloudOutcome<unknown>, what: string): number {
    if (outcome.kind === 'unauthorized') {
      this.#state = 'unauthorized';
      this.#lastError = `${REPROVISION} (the cloud refused this gateway's credential: ${outcome.message})`;
      this.#refusedMtime = this.#credentialMtime;
      this.#dropHttp();
      this.#log.error({ what }, this.#lastError);
      return this.#o.credentialCheckMs ?? 5_000;
    }
    const message = outcome.kind === 'ok' || outcome.kind === 'not-modified' ? 'unexpected answer' : outcome.message;
    const network = outcome.kind === 'retry' && outcome.network;
    const retryAfter = outcome.kind === 'retry' ? outcome.retryAfterMs : undefined;
    // A failed connect costs the cloud nothing: retry often enough to notice the network's return within 5 s.
    const wait = retryAfter ?? this.#backoff.next(network ? (this.#o.reconnectMaxMs ?? 5_000) : undefined);
    if (network) this.#cursor = undefined; // the answer may have been lost: ask the cloud where it stands
    this.#state = 'backoff';
    this.#lastError = `${what} failed: ${message}; retrying in ${Math.round(wait / 100) / 10} s`;
    const level = outcome.kind === 'rejected' ? 'error' : 'warn';
    this.#log[level]({ what, waitMs: wait, attempt: this.#backoff.attempt }, this.#lastError);
    return wait;
  }

  /** True when a usable credential is loaded; sets not-provisioned / unauthorized otherwise. */
  #loadCredential(): boolean {
    const read = readCredentialFile(this.#o.credentialPath);
    if (!read.ok) {
      this.#dropHttp();
      this.#credential = undefined;
      this.#state = 'not-provisioned';
      this.#lastError = read.message;
      return false;
    }
    if (this.#refusedMtime !== undefined) {
      // Refused with a 401: wait for a new file rather than hammer the cloud.
      if (read.mtimeMs === this.#refusedMtime) {
        this.#state = 'unauthorized';
        return false;
      }
      this.#refusedMtime = undefined;
    }
    if (this.#http !== undefined && read.mtimeMs === this.#credentialMtime) return true;
    this.#dropHttp();
    this.#credential = read.credential;
    this.#credentialMtime = read.mtimeMs;
    this.#http = new CloudHttp({
      baseUrl: read.credential.cloudUrl,
      credential: read.credential.credential,
      ...(this.#o.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: this.#o.connectTimeoutMs }),
      ...(this.#o.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: this.#o.requestTimeoutMs }),
      now: this.#now,
    });
    this.#cursor = undefined;
    this.#heartbeatDue = 0;
    this.#configWanted = true;
    this.#calibrationsWanted = true;
    this.#state = 'syncing';
    this.#log.info({ gatewayId: read.credential.gatewayId, cloudUrl: read.credential.cloudUrl }, 'sync: using the cloud credential');
    return true;
  }

  #dropHttp(): void {
    this.#http?.close();
    this.#http = undefined;
  }

  async #refreshBacklog(force: boolean): Promise<void> {
    if (!force && this.#now() - this.#backlogAt < BACKLOG_REFRESH_MS) return;
    try {
      this.#backlog = (await this.#o.outbox.backlog()).records;
      this.#backlogAt = this.#now();
    } catch (err) {
      this.#log.warn({ err: String(err) }, 'sync: could not count the backlog');
    }
  }
}
