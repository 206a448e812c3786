import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventType } from '@sightline/core';
import type { EncodedEvent } from '../raw-event.ts';

/** One spooled batch: a file of newline-delimited wire events, oldest first by name. */
export interface SpoolFile {
  file: string;
  count: number;
  bytes: number;
  /** Sequence number used for flush accounting (the oldest event it holds). */
  minSeq: number;
}

export interface SpoolOptions {
  dir: string;
  instanceId: string;
  maxBytes: number;
}

const SUFFIX = '.ndjson';

/**
 * The disk spool: batches the collector could not take are written here (and, at exit, whatever
 * is still in memory), then sent from here oldest first; a file is deleted once the server
 * acknowledged it. A new tracker with the same directory resends what an earlier process left;
 * events keep their ids, so the server stores each once. Writes go to a temporary name and are
 * renamed, so a crash never leaves half a file under the final name.
 */
export class Spool {
  private readonly files: SpoolFile[] = [];
  private totalBytes = 0;
  private sequence = 0;
  private readonly options: SpoolOptions;

  constructor(options: SpoolOptions) {
    this.options = options;
  }

  get eventCount(): number {
    let count = 0;
    for (const file of this.files) count += file.count;
    return count;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get fileCount(): number {
    return this.files.length;
  }

  get hasFiles(): boolean {
    return this.files.length > 0;
  }

  /** Lowest sequence number among spooled events, or Infinity. */
  minSeq(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const file of this.files) if (file.minSeq < min) min = file.minSeq;
    return min;
  }

  /** Picks up the files an earlier process left; `nextSeq` numbers them before anything tracked now. */
  async load(nextSeq: () => number): Promise<number> {
    await mkdir(this.options.dir, { recursive: true });
    const names = (await readdir(this.options.dir)).filter((name) => name.endsWith(SUFFIX)).sort();
    let events = 0;
    for (const name of names) {
      const count = Number(/-(\d+)\.ndjson$/.exec(name)?.[1] ?? 0);
      let bytes = 0;
      try {
        bytes = (await stat(join(this.options.dir, name))).size;
      } catch {
        continue;
      }
      this.files.push({ file: name, count, bytes, minSeq: nextSeq() });
      this.totalBytes += bytes;
      events += count;
    }
    return events;
  }

  /** Writes a batch to disk; false when the spool is full (the caller counts the drop). */
  async write(batch: readonly EncodedEvent[]): Promise<boolean> {
    const entry = this.prepare(batch);
    if (!entry) return false;
    await mkdir(this.options.dir, { recursive: true });
    const temporary = join(this.options.dir, `${entry.file.file}.tmp`);
    await writeFile(temporary, entry.text);
    await rename(temporary, join(this.options.dir, entry.file.file));
    this.add(entry.file);
    return true;
  }

  /** Synchronous write, for the process `exit` hook where nothing asynchronous runs any more. */
  writeSync(batch: readonly EncodedEvent[]): boolean {
    const entry = this.prepare(batch);
    if (!entry) return false;
    mkdirSync(this.options.dir, { recursive: true });
    const temporary = join(this.options.dir, `${entry.file.file}.tmp`);
    writeFileSync(temporary, entry.text);
    renameSync(temporary, join(this.options.dir, entry.file.file));
    this.add(entry.file);
    return true;
  }

  /** The oldest spooled batch and its events, or null; an unreadable file is dropped and reported. */
  async readOldest(): Promise<
    { file: SpoolFile; events: EncodedEvent[] } | { file: SpoolFile; error: unknown } | null
  > {
    const file = this.files[0];
    if (!file) return null;
    try {
      const text = await readFile(join(this.options.dir, file.file), 'utf8');
      const events: EncodedEvent[] = [];
      for (const line of text.split('\n')) {
        if (line.length === 0) continue;
        const parsed = JSON.parse(line) as { id: string; type: EventType; body?: { input?: unknown } };
        events.push({
          seq: file.minSeq,
          id: parsed.id,
          type: parsed.type,
          json: line,
          bytes: Buffer.byteLength(line),
          payload: 0,
        });
      }
      return { file, events };
    } catch (error) {
      return { file, error };
    }
  }

  /** Deletes a file once its events were acknowledged (or refused for good). */
  async remove(file: SpoolFile): Promise<void> {
    const index = this.files.indexOf(file);
    if (index >= 0) {
      this.files.splice(index, 1);
      this.totalBytes -= file.bytes;
    }
    await unlink(join(this.options.dir, file.file)).catch(() => undefined);
  }

  /** Names of the spool files on disk (for tests and diagnostics). */
  listSync(): string[] {
    try {
      return readdirSync(this.options.dir).filter((name) => name.endsWith(SUFFIX));
    } catch {
      return [];
    }
  }

  private prepare(batch: readonly EncodedEvent[]): { file: SpoolFile; text: string } | null {
    if (batch.length === 0) return null;
    let text = '';
    let minSeq = Number.POSITIVE_INFINITY;
    for (const event of batch) {
      text += `${event.json}\n`;
      if (event.seq < minSeq) minSeq = event.seq;
    }
    const bytes = Buffer.byteLength(text);
    if (this.totalBytes + bytes > this.options.maxBytes) return null;
    const stamp = Date.now().toString().padStart(15, '0');
    const sequence = (++this.sequence).toString().padStart(6, '0');
    const name = `${stamp}-${this.options.instanceId}-${sequence}-${batch.length}${SUFFIX}`;
    return { file: { file: name, count: batch.length, bytes, minSeq }, text };
  }

  private add(file: SpoolFile): void {
    this.files.push(file);
    this.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    this.totalBytes += file.bytes;
  }
}
