/**
 * The student and the teacher: two @openai/agents agents, each with one tool that reads the lesson from
 * the run context (the subject never comes from the model). The student's `ask_question` picks its next
 * question; the teacher's `explain_topic` looks up the answer to the question just asked. A real model
 * words them its own way; the offline demo model calls the tool and says what it returned.
 */
import { Agent, type AgentInputItem, assistant, type Model, run, tool, user } from '@openai/agents';
import { demoModel } from '@sightline/agents';
import { z } from 'zod';
import { type Lesson, lessonStep } from './lesson-plan.ts';

/** One line of the conversation between the two agents. */
export interface Turn {
  speaker: 'Student' | 'Teacher';
  text: string;
}

const askQuestion = tool<z.ZodObject<Record<string, never>>, Lesson>({
  name: 'ask_question',
  description: 'Pick the next question to ask the teacher about the subject being studied.',
  parameters: z.object({}),
  execute: async (_args, context) => {
    const lesson = context?.context as Lesson;
    const { question } = lessonStep(lesson.subject, lesson.asked);
    lesson.asked += 1;
    return question;
  },
});

const explainTopic = tool<z.ZodObject<Record<string, never>>, Lesson>({
  name: 'explain_topic',
  description: "Look up the explanation of the student's latest question about the subject.",
  parameters: z.object({}),
  execute: async (_args, context) => {
    const lesson = context?.context as Lesson;
    return lessonStep(lesson.subject, Math.max(0, lesson.asked - 1)).answer;
  },
});

/** The student: curious, asks one short question at a time. */
export function createStudent(model: Model | string = demoModel()): Agent<Lesson> {
  return new Agent<Lesson>({
    name: 'Student',
    instructions: (context) =>
      `You are a curious student learning about ${context.context.subject}. Use the ask_question tool to ` +
      'pick your next question, then ask it in one short sentence.',
    model,
    tools: [askQuestion],
  });
}

/** The teacher: answers the student's latest question clearly, in a few sentences. */
export function createTeacher(model: Model | string = demoModel()): Agent<Lesson> {
  return new Agent<Lesson>({
    name: 'Teacher',
    instructions: (context) =>
      `You are a patient teacher of ${context.context.subject}. Use the explain_topic tool, then answer ` +
      "the student's latest question in two or three clear sentences.",
    model,
    tools: [explainTopic],
  });
}

/**
 * The conversation as `speaker` sees it (its own lines as its answers, the other's as the user's), then
 * the instruction. The instruction is the last user message: what the model acts on.
 */
function inputFor(speaker: Turn['speaker'], turns: Turn[], instruction: string): AgentInputItem[] {
  return [
    ...turns.map((turn) => (turn.speaker === speaker ? assistant(turn.text) : user(turn.text))),
    user(instruction),
  ];
}

/** One exchange: the student asks, the teacher answers; both lines are appended to `turns`. */
export async function exchange(options: {
  student: Agent<Lesson>;
  teacher: Agent<Lesson>;
  lesson: Lesson;
  turns: Turn[];
  signal?: AbortSignal;
}): Promise<[Turn, Turn]> {
  const { lesson, turns, signal } = options;
  const asked = await run(
    options.student,
    inputFor('Student', turns, 'Ask the teacher your next question.'),
    {
      context: lesson,
      ...(signal ? { signal } : {}),
    },
  );
  const question: Turn = { speaker: 'Student', text: String(asked.finalOutput ?? '') };
  turns.push(question);
  const answered = await run(
    options.teacher,
    inputFor('Teacher', turns, "Explain the topic of the student's question."),
    { context: lesson, ...(signal ? { signal } : {}) },
  );
  const answer: Turn = { speaker: 'Teacher', text: String(answered.finalOutput ?? '') };
  turns.push(answer);
  return [question, answer];
}
