import { decodeSubtitleText } from './subtitle-text.js';

// `00:01:02,345 --> 00:01:03,456`, sloppy forms too: `.` for `,`, one-digit
// fields, no spaces around the arrow. Whatever follows the end time (SubRip's
// `X1:… Y2:…` box) is dropped: it means nothing to WebVTT.
const TIMING = /^\s*(\d+):(\d{1,2}):(\d{1,2})[,.](\d{1,3})\s*-->\s*(\d+):(\d{1,2}):(\d{1,2})[,.](\d{1,3})(?:\s.*)?$/;
const CUE_NUMBER = /^\s*\d+\s*$/;

/**
 * SubRip to WebVTT, written by hand: it is a few lines of line handling, and
 * the package most used for it (srt-to-vtt) rewrites any `00:00:01,000` in
 * the text too, writes CRLF, guesses the encoding instead of the contract's
 * UTF-8-else-Windows-1252 rule, and cuts a cue at a blank line in its text.
 * Here a cue starts at each timing line (with the number before it, if any,
 * kept as its identifier) and takes every non-blank line up to the next cue.
 */
export function srtToVtt(bytes: Uint8Array): string {
  const lines = decodeSubtitleText(bytes).replace(/\r\n?/g, '\n').split('\n');
  const starts: number[] = [];
  lines.forEach((line, index) => {
    if (TIMING.test(line)) starts.push(index);
  });
  const blocks = starts.map((start, k) => {
    const next = starts[k + 1] ?? lines.length;
    // The number right before the next timing line is that cue's, not this one's text.
    const textEnd = next < lines.length && isCueNumber(lines, next - 1, start) ? next - 1 : next;
    const id = isCueNumber(lines, start - 1, starts[k - 1] ?? -1) ? [lines[start - 1].trim()] : [];
    const text = lines.slice(start + 1, textEnd).filter((line) => line.trim() !== '').map(escapeCueText);
    return [...id, vttTiming(lines[start]), ...text].join('\n');
  });
  return ['WEBVTT', ...blocks].join('\n\n') + '\n';
}

/** Line `index` is a cue number: digits only, right before a timing line, after the previous timing line. */
function isCueNumber(lines: readonly string[], index: number, previousStart: number): boolean {
  return index > previousStart && index >= 0 && CUE_NUMBER.test(lines[index]);
}

function vttTiming(line: string): string {
  const [, h1, m1, s1, ms1, h2, m2, s2, ms2] = TIMING.exec(line) ?? [];
  return `${timestamp(h1, m1, s1, ms1)} --> ${timestamp(h2, m2, s2, ms2)}`;
}

// WebVTT wants two or more hour digits, exactly two for minutes and seconds,
// three for milliseconds; hours past 99 stay as they are.
function timestamp(hours: string, minutes: string, seconds: string, millis: string): string {
  return `${hours.padStart(2, '0')}:${minutes.padStart(2, '0')}:${seconds.padStart(2, '0')}.${millis.padEnd(3, '0')}`;
}

/**
 * Cue text the WebVTT parser reads as SubRip players show it: `-->` would
 * end the cue, and a `<` that opens no tag would swallow text up to the next
 * `>`. Tags (`<i>`, `<b>`, `<u>`, `<font>`) are kept: WebVTT knows the first
 * three and ignores the rest.
 */
function escapeCueText(line: string): string {
  return line.replaceAll('-->', '--&gt;').replace(/<(?![A-Za-z/])/g, '&lt;');
}
