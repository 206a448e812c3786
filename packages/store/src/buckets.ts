/** Start of the UTC hour containing `ms`. */
export function hourBucket(ms: number): number {
  return ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000);
}

/** Start of the UTC day containing `ms`. */
export function dayBucket(ms: number): number {
  return ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
}
