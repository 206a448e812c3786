/** E-mail addresses: a local part, `@`, dot-separated host labels, a top-level domain. */
import type { Detector } from './detector.ts';

/** Finds e-mail addresses (ASCII; an internationalised address is found by its ASCII part, if any). */
export const emailDetector: Detector = {
  name: 'email',
  candidates:
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
  mayContain: (text) => text.includes('@'),
  accept: (candidate) => [0, candidate.length],
};
