/** The command-line side of `sightline dataset create` and `sightline replay`: options to calls. */
import { stat, writeFile } from 'node:fs/promises';
import { createCollectorDataset } from './dataset-collector.ts';
import { captureDataset, type Dataset, readDataset, writeDataset } from './dataset-file.ts';
import { HttpClient } from './http-client.ts';
import { replay } from './replay-command.ts';
import { type CollectorReplay, readCollectorDataset, replayableDataset } from './replay-experiment.ts';

/** The options `dataset` and `replay` read (parseArgs values). */
export interface ReplayValues {
  url?: string | undefined;
  key?: string | undefined;
  collector?: string | undefined;
  'admin-key'?: string | undefined;
  out?: string | undefined;
  name?: string | undefined;
  conversation?: string[] | undefined;
  filter?: string[] | undefined;
  limit?: string | undefined;
  dataset?: string | undefined;
  agent?: string | undefined;
  experiment?: string | undefined;
  evaluator?: string[] | undefined;
  'min-score'?: string[] | undefined;
  report?: string | undefined;
  baseline?: string | undefined;
}

/**
 * `dataset create`: creates (or extends) the dataset in the collector, or with `--out` writes a dataset
 * file; resolves to the exit code.
 */
export async function datasetCommand(
  sub: string | undefined,
  values: ReplayValues,
  out: (line: string) => void,
): Promise<number> {
  if (sub !== 'create')
    throw new Error('dataset: use "dataset create --url <collector> --key <key> [--out <file>]"');
  const url = required(values.url, 'dataset create: --url');
  const limit = Number(values.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new Error(`dataset create: --limit must be an integer from 1 to 1000, got ${values.limit}`);
  const source = {
    name: values.name ?? 'dataset',
    conversationIds: values.conversation ?? [],
    filters: values.filter ?? [],
    limit,
  };
  const collector = new HttpClient(url, values.key);
  const file = values.out;
  if (!file) {
    await createCollectorDataset(collector, source, out);
    return 0;
  }
  const dataset = await captureDataset(collector, source);
  await writeDataset(file, dataset);
  out(`dataset ${dataset.name}: ${dataset.items.length} items written to ${file}`);
  return 0;
}

/** Where `replay` writes its report and its error. */
export interface ReplayOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `replay`: replays the dataset file; resolves to the exit code: 1 when a --min-score fails, 2 when the
 * replay could not be done (bad options, a served agent or collector answering an error), so CI tells a
 * regression from a broken set-up.
 */
export async function replayCommand(values: ReplayValues, output: ReplayOutput): Promise<number> {
  try {
    return await replayOrThrow(values, output.out);
  } catch (error) {
    output.err(`sightline replay: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

async function replayOrThrow(values: ReplayValues, out: (line: string) => void): Promise<number> {
  const url = required(values.url, 'replay: --url');
  const agent = required(values.agent, 'replay: --agent');
  const collector = new HttpClient(values.collector ?? url, values['admin-key'] ?? values.key);
  const { dataset, record } = await loadDataset(collector, values);
  const file = values.report;
  const experiment =
    values.experiment ?? `replay-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
  return replay({
    ...(file
      ? {
          report: (report) =>
            writeFile(file, `${JSON.stringify({ dataset: dataset.name, experiment, ...report }, null, 2)}\n`),
        }
      : {}),
    ...(record ? { record } : {}),
    dataset,
    agent,
    served: new HttpClient(url, values.key),
    collector,
    experiment,
    evaluators: values.evaluator ?? [],
    minScores: parseMinScores(values['min-score'] ?? []),
    out,
  });
}

/**
 * The dataset `--dataset` names: a file when one exists at that path (or the name looks like a path: a
 * `.json` ending or a slash), else a dataset of the collector (by id or name), whose replay is recorded
 * as an experiment (compared with `--baseline` when given).
 */
async function loadDataset(
  collector: HttpClient,
  values: ReplayValues,
): Promise<{ dataset: Dataset; record: CollectorReplay | null }> {
  const name = required(values.dataset, 'replay: --dataset');
  const isFile = await stat(name).then(
    (found) => found.isFile(),
    () => false,
  );
  if (isFile || /\.json$|[/\\]/i.test(name)) {
    if (values.baseline)
      throw new Error('--baseline: compares experiments of a collector dataset, not a file');
    return { dataset: await readDataset(name), record: null };
  }
  const record = await readCollectorDataset(collector, name, values.baseline);
  if (!record)
    throw new Error(`--dataset ${name}: no such file, and the collector has no dataset of that id or name`);
  return { dataset: replayableDataset(record.detail), record };
}

/** `name=x` pairs; a bad one throws naming --min-score. */
export function parseMinScores(pairs: string[]): Map<string, number> {
  const thresholds = new Map<string, number>();
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const value = Number(pair.slice(at + 1));
    if (at <= 0 || pair.slice(at + 1).trim() === '' || !Number.isFinite(value))
      throw new Error(`replay: --min-score must be <name>=<number>, got ${JSON.stringify(pair)}`);
    thresholds.set(pair.slice(0, at), value);
  }
  return thresholds;
}

function required(value: string | undefined, option: string): string {
  if (!value) throw new Error(`${option} is required`);
  return value;
}
