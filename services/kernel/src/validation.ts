import { badInput } from './errors';
import { textFault } from './input-guard';

/**
 * Short text (names, titles, places) is one line: no tab or newline either. Long text (a
 * feed post, a report's body) passes `multiline` and keeps its tabs and line breaks. Either
 * way the ends are trimmed and the rest must pass the input guard's text rules (no control
 * characters, unpaired surrogates or bidi controls). `max` counts characters (code points),
 * as VARCHAR(max) does in MySQL's utf8mb4: an emoji is one.
 */
export interface TextOptions {
  multiline?: boolean;
}

/** Trims a required text field and checks it; BAD_USER_INPUT names the field. */
export function requiredText(value: string | null | undefined, field: string, max: number, options: TextOptions = {}): string {
  const text = optionalText(value, field, max, options);
  if (text === null) throw badInput(`${field} must not be empty`, field);
  return text;
}

/** Trims an optional text field: empty becomes null; otherwise checked like requiredText. */
export function optionalText(value: string | null | undefined, field: string, max: number, options: TextOptions = {}): string | null {
  const text = (value ?? '').trim();
  if (!text) return null;
  const fault = textFault(text, { multiline: options.multiline ?? false });
  if (fault) throw badInput(`${field} ${fault}`, field);
  if (characters(text) > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
