/**
 * The workflow `sightline start` serves (seed 004, FastAgency's student and teacher): the person picks a
 * subject, then a student agent and a teacher agent talk about it, the person deciding after each round
 * whether the lesson goes on.
 */
import { Agent, type Model, run, tool } from '@openai/agents-core';
import { defineWorkflow, type Workflow } from '@sightline/serve';
import { z } from 'zod';

const FACTS: Record<string, string[]> = {
  photosynthesis: [
    'plants turn light, water and carbon dioxide into sugar and oxygen',
    'it happens in the chloroplasts, where chlorophyll absorbs mostly red and blue light',
    'the oxygen we breathe is a by-product of splitting water',
  ],
  'prime numbers': [
    'a prime has exactly two divisors, 1 and itself',
    'there are infinitely many primes, as Euclid proved',
    'every whole number above 1 is a product of primes in exactly one way',
  ],
  'the moon': [
    'the moon is about 384,000 km away',
    'we always see the same side because its rotation is locked to its orbit',
    'its gravity causes most of the tides',
  ],
};

function factAbout(subject: string, round: number): string {
  const facts = FACTS[subject.toLowerCase().trim()];
  if (!facts)
    return `an important idea in ${subject} (lesson ${round}): start from examples, then name the rule`;
  return facts[(round - 1) % facts.length] ?? '';
}

/** What the lesson's tools read from the run context. */
interface Lesson {
  subject: string;
  round: number;
}

function lessonOf(context: { context?: unknown } | undefined): Lesson {
  return (context?.context as Lesson | undefined) ?? { subject: 'something', round: 1 };
}

function lessonAgents(model: Model | string): { student: Agent<Lesson>; teacher: Agent<Lesson> } {
  const askQuestion = tool({
    name: 'ask_question',
    description: 'Ask the teacher a question about the subject of the lesson.',
    parameters: z.object({}),
    execute: async (_input, context) => {
      const { subject, round } = lessonOf(context);
      return round === 1
        ? `What is the most important thing to know about ${subject}?`
        : `Can you tell me one more thing about ${subject}?`;
    },
  });
  const explainTopic = tool({
    name: 'explain_topic',
    description: 'Explain one idea of the subject of the lesson to the student.',
    parameters: z.object({}),
    execute: async (_input, context) => {
      const { subject, round } = lessonOf(context);
      return `${factAbout(subject, round)}.`;
    },
  });
  return {
    student: new Agent<Lesson>({
      name: 'student',
      instructions: 'You are a curious student. Use ask_question to ask the teacher one question.',
      model,
      tools: [askQuestion],
    }),
    teacher: new Agent<Lesson>({
      name: 'teacher',
      instructions: "You are a patient teacher. Use explain_topic to answer the student's question.",
      model,
      tools: [explainTopic],
    }),
  };
}

const params = z.object({
  rounds: z.number().int().min(1).max(10).default(3).describe('Most rounds of questions and answers'),
});

/** The student/teacher workflow: asks for the subject first, then runs up to `rounds` rounds. */
export function studentTeacherWorkflow(model: Model | string): Workflow<z.infer<typeof params>> {
  const { student, teacher } = lessonAgents(model);
  return defineWorkflow({
    name: 'student_teacher',
    description: 'A student and a teacher agent discuss a subject you choose; you decide when to stop.',
    params,
    run: async (io, { rounds }) => {
      const subject = await io.ask({
        prompt: 'What subject should the student learn about?',
        suggestions: Object.keys(FACTS),
      });
      let round = 1;
      for (; round <= rounds; round++) {
        const lesson = { context: { subject, round }, signal: io.signal };
        const question = await run(student, `Use ask_question to ask about ${subject}.`, lesson);
        io.say(`Student: ${String(question.finalOutput)}`);
        const answer = await run(teacher, `Use explain_topic to answer: ${question.finalOutput}`, lesson);
        io.say(`Teacher: ${String(answer.finalOutput)}`);
        if (round === rounds) break;
        const next = await io.choose({
          prompt: 'Go on with the lesson?',
          choices: ['Next question', 'Stop'],
        });
        if (next === 'Stop') break;
      }
      return `The student learned about ${subject} in ${round} round${round === 1 ? '' : 's'}.`;
    },
  });
}
