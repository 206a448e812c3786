import { z } from 'zod';
import { conversationContextSchema } from './conversation.ts';
import { metadataSchema } from './json-value.ts';
import { LIMITS } from './limits.ts';
import { idString, label } from './primitives.ts';

export const MESSAGE_ROLES = ['human', 'agent', 'system'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const attachmentSchema = z.object({
  name: label,
  mimeType: label.optional(),
  url: z.string().max(4096).optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
});

export type Attachment = z.infer<typeof attachmentSchema>;

/** Body of a `message` event: something a human said to the agent, or the agent's answer. */
export const messageBodySchema = conversationContextSchema.extend({
  /** The message's own id; defaults to the event id. */
  messageId: idString.optional(),
  role: z.enum(MESSAGE_ROLES),
  content: z.string().max(LIMITS.maxContentLength, `must be at most ${LIMITS.maxContentLength} characters`),
  metadata: metadataSchema.optional(),
  attachments: z
    .array(attachmentSchema)
    .max(LIMITS.maxAttachments, `must hold at most ${LIMITS.maxAttachments} attachments`)
    .optional(),
});

export type MessageBody = z.infer<typeof messageBodySchema>;
