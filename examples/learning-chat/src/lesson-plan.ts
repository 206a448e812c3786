/**
 * What the student wants to know and what the teacher knows: five questions per subject (what, why, an
 * example, common mistakes, how to practise) with the teacher's answers. Three subjects are written out;
 * any other subject gets general answers that stay true for it. The agents' tools read this, so the
 * exchange makes sense with the offline demo model too.
 */

/** One question of the lesson and the teacher's answer to it. */
export interface LessonStep {
  question: string;
  answer: string;
}

/** A lesson in progress: the subject, and how many questions the student asked so far. */
export interface Lesson {
  subject: string;
  asked: number;
}

/** Subjects offered as suggestions when the workflow asks what to learn. */
export const SUGGESTED_SUBJECTS = ['Photosynthesis', 'Fractions', 'The water cycle'];

const KNOWN: Record<string, string[]> = {
  photosynthesis: [
    'Photosynthesis is how plants make their own food: they use the energy of sunlight to turn water and carbon dioxide into sugar, and release oxygen.',
    'Almost every food chain starts with it, and it produces the oxygen we breathe, so life on land depends on it.',
    'A leaf on a sunny windowsill: its chloroplasts capture light, the roots bring water, the air brings carbon dioxide, and the leaf stores the sugar it makes as starch.',
    'Thinking plants get their food from the soil. The soil gives water and minerals; the mass of a tree comes mostly from carbon dioxide in the air.',
    'Draw the inputs and outputs of a leaf from memory, then explain why a plant kept in the dark for days starts to starve.',
  ],
  fractions: [
    'A fraction is a part of a whole: the bottom number says into how many equal parts the whole is cut, the top number how many of those parts you take.',
    'They are everywhere we share or measure: half a pizza, three quarters of an hour, a recipe for six people cooked for four.',
    'Cut a pizza into 8 equal slices and eat 3 of them: you ate three eighths of the pizza, and five eighths are left.',
    'Adding the bottom numbers together. To add two fractions, first rewrite them with the same denominator, then add only the top numbers.',
    'Fold paper strips into halves, quarters and eighths and compare them; then solve a few sharing problems a day, checking each with a drawing.',
  ],
  'the water cycle': [
    'The water cycle is the endless journey of water: it evaporates from seas and lakes, condenses into clouds, falls as rain or snow, and flows back through rivers and the ground.',
    'It brings fresh water to every place we live and grow food, and it moves heat around the planet, which shapes weather and climate.',
    'A puddle after a storm: the sun warms it, the water evaporates, rises, cools into a cloud, and falls again as rain somewhere else.',
    'Thinking clouds are water vapour. Vapour is invisible; a cloud is made of tiny liquid droplets or ice crystals that formed when the vapour cooled.',
    'Put a bowl of warm water under cling film with an ice cube on top and watch droplets form and fall; then label each stage on a drawing.',
  ],
};

function questionsAbout(subject: string): string[] {
  const name = subject.replace(/^The\s/, 'the '); // mid-sentence: "What is the water cycle"
  return [
    `What is ${name}, in simple words?`,
    `Why does ${name} matter?`,
    `Can you give me an example of ${name}?`,
    `What mistake do beginners often make with ${name}?`,
    `How should I practise ${name}?`,
  ];
}

function generalAnswers(subject: string): string[] {
  return [
    `${subject} is easiest to understand from its core idea: find the one sentence an expert would use to define it, then learn the handful of words that sentence depends on.`,
    `${subject} matters because it explains things you meet in real life; knowing it lets you reason about those situations instead of memorising answers.`,
    `Pick one concrete case of ${subject} you have seen yourself and describe it step by step; a worked example makes the general idea stick.`,
    `Learning the words of ${subject} without the reasons behind them. If you cannot explain why something is true, you will not recognise it in a new form.`,
    `Explain ${subject} aloud to someone else, then test yourself a day later without notes; the parts you cannot recall are the parts to review.`,
  ];
}

/** How many questions a lesson has. */
export const LESSON_LENGTH = 5;

/** The `index`-th step (0-based, wrapping around) of a lesson on `subject`. */
export function lessonStep(subject: string, index: number): LessonStep {
  const position = index % LESSON_LENGTH;
  const answers = KNOWN[subject.trim().toLowerCase()] ?? generalAnswers(subject);
  return { question: questionsAbout(subject)[position] as string, answer: answers[position] as string };
}
