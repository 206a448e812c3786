/**
 * Sums of score rollup rows into ScoreSummary values: per name, data type and source, a count, an
 * average (value sum / count; booleans count 1 and 0, so it is the share that is true) and, for
 * categorical scores, the count of each category. Shared by the overview, customers and versions.
 */
import type { ScoreDataType, ScoreSource, ScoreSummary } from '@sightline/core';

/** A score rollup row as read (sums over some rows of score_hourly or score_customers). */
export interface ScoreRollupRow {
  name: string;
  data_type: string;
  source: string;
  category: string;
  count: number | string;
  value_sum: number | string;
}

interface Tally {
  name: string;
  dataType: ScoreDataType;
  source: ScoreSource;
  count: number;
  sum: number;
  categories: Map<string, number>;
}

/** Score summaries being summed, keyed by name, data type and source. */
export class ScoreTally {
  readonly #tallies = new Map<string, Tally>();

  /** Adds a rollup row. */
  add(row: ScoreRollupRow): void {
    const key = `${row.name}\u0000${row.data_type}\u0000${row.source}`;
    let tally = this.#tallies.get(key);
    if (!tally) {
      tally = {
        name: row.name,
        dataType: row.data_type as ScoreDataType,
        source: row.source as ScoreSource,
        count: 0,
        sum: 0,
        categories: new Map(),
      };
      this.#tallies.set(key, tally);
    }
    const count = Number(row.count);
    tally.count += count;
    tally.sum += Number(row.value_sum);
    if (tally.dataType === 'categorical')
      tally.categories.set(row.category, (tally.categories.get(row.category) ?? 0) + count);
  }

  /** The summaries, by name then data type and source; none with a zero count. */
  summaries(): ScoreSummary[] {
    return [...this.#tallies.values()]
      .filter((tally) => tally.count > 0)
      .sort(
        (a, b) =>
          a.name.localeCompare(b.name) ||
          a.dataType.localeCompare(b.dataType) ||
          a.source.localeCompare(b.source),
      )
      .map(summaryOf);
  }
}

/** One tally as the API shows it. */
function summaryOf(tally: Tally): ScoreSummary {
  return {
    name: tally.name,
    dataType: tally.dataType,
    source: tally.source,
    count: tally.count,
    average: averageOf(tally.dataType, tally.count, tally.sum),
    categories: [...tally.categories.entries()]
      .filter(([, count]) => count > 0)
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
  };
}

/** The mean of numeric and boolean scores (null for categorical ones, or none). */
export function averageOf(dataType: string, count: number, sum: number): number | null {
  return dataType === 'categorical' || count === 0 ? null : sum / count;
}
