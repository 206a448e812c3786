/**
 * Seed 004's learning chat as a workflow: ask the person what to learn (with suggestions), then let a
 * student agent and a teacher agent talk about it, showing every line, and ask whether to go on after
 * each round. Returns a summary of what was covered. No tracking code: serving it tracks it.
 */
import type { Model } from '@openai/agents';
import { defineWorkflow, type Workflow } from '@sightline/serve';
import { z } from 'zod';
import { createStudent, createTeacher, exchange, type Turn } from './classroom-agents.ts';
import { LESSON_LENGTH, type Lesson, SUGGESTED_SUBJECTS } from './lesson-plan.ts';

export const CONTINUE = 'Keep going';
export const STOP = 'That is enough';

const params = z.object({
  rounds: z
    .number()
    .int()
    .min(1)
    .max(LESSON_LENGTH, `must be at most ${LESSON_LENGTH}`)
    .default(3)
    .describe('Most question-and-answer rounds'),
});

/** The `learning_chat` workflow; `model` drives both agents (default: the offline demo model). */
export function learningChat(model?: Model | string): Workflow<z.output<typeof params>> {
  const student = createStudent(model);
  const teacher = createTeacher(model);
  return defineWorkflow({
    name: 'learning_chat',
    description: 'A student agent and a teacher agent talk about a subject you choose.',
    params,
    run: async (io, { rounds }) => {
      const subject = (
        await io.ask({ prompt: 'What subject do you want to learn about?', suggestions: SUGGESTED_SUBJECTS })
      ).trim();
      if (subject === '') return 'No subject given: nothing to learn today.';
      io.say(`Let's learn about ${subject}. The student asks, the teacher explains.`);
      const lesson: Lesson = { subject, asked: 0 };
      const turns: Turn[] = [];
      let answered = 0;
      for (let round = 1; round <= rounds; round += 1) {
        const [question, answer] = await exchange({ student, teacher, lesson, turns, signal: io.signal });
        io.say(`Student: ${question.text}`);
        io.say(`Teacher: ${answer.text}`);
        answered += 1;
        if (round === rounds) break;
        const next = await io.choose({ prompt: 'Continue the lesson?', choices: [CONTINUE, STOP] });
        if (next === STOP) break;
      }
      const count = `${answered} question${answered === 1 ? '' : 's'}`;
      return `Lesson on ${subject}: the student asked ${count} and the teacher answered each.`;
    },
  });
}
