/**
 * Sampling of conversations for evaluation: deterministic by conversation id, so a conversation seen
 * twice, by a restarted runner or by another node, is in or out the same way, and every evaluator
 * scores the same sample (their scores compare conversation by conversation).
 */
import { createHash } from 'node:crypto';

/** Whether `conversationId` is in the sample of `rate` (0..1). */
export function isSampled(conversationId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const digest = createHash('sha256').update(conversationId).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < rate;
}
