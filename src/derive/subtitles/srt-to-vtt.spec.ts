import { describe, expect, it } from '@jest/globals';
import { srtToVtt } from './srt-to-vtt.js';

const vtt = (text: string): string => srtToVtt(Buffer.from(text, 'utf8'));

describe('srtToVtt', () => {
  it('adds the WEBVTT header and turns the comma of cue timings into a dot', () => {
    expect(vtt('1\n00:00:01,000 --> 00:00:02,500\nHello\n')).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nHello\n');
  });

  it('leaves commas in the text alone', () => {
    expect(vtt('1\n00:00:01,000 --> 00:00:02,000\nWell, 1,000 people\n')).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nWell, 1,000 people\n');
  });

  it('turns CRLF and lone CR into LF', () => {
    const crlf = '1\r\n00:00:01,000 --> 00:00:02,000\r\nOne\r\nline two\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nTwo\r\n';
    const expected = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nOne\nline two\n\n2\n00:00:03.000 --> 00:00:04.000\nTwo\n';
    expect(vtt(crlf)).toBe(expected);
    expect(vtt(crlf.replaceAll('\r\n', '\r'))).toBe(expected);
    expect(vtt(crlf.replaceAll('\r\n', '\n'))).toBe(expected);
  });

  it('drops a UTF-8 byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('1\n00:00:01,000 --> 00:00:02,000\ncafé\n')]);
    expect(srtToVtt(bytes)).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\ncafé\n');
  });

  it('reads a file that is not valid UTF-8 as Windows-1252', () => {
    // "café – “ok”" in Windows-1252: é = E9, en dash = 96, curly quotes = 93 94.
    const bytes = Buffer.concat([Buffer.from('1\n00:00:01,000 --> 00:00:02,000\ncaf'), Buffer.from([0xe9, 0x20, 0x96, 0x20, 0x93]), Buffer.from('ok'), Buffer.from([0x94, 0x0a])]);
    expect(srtToVtt(bytes)).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\ncafé – “ok”\n');
  });

  it('reads UTF-16 files marked by their byte-order mark', () => {
    const text = '1\r\n00:00:01,000 --> 00:00:02,000\r\nnaïve\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    const expected = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nnaïve\n';
    expect(srtToVtt(le)).toBe(expected);
    expect(srtToVtt(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(expected);
  });

  it('keeps cue numbers as identifiers, and cues without numbers work too', () => {
    expect(vtt('00:00:01,000 --> 00:00:02,000\nA\n\n00:00:03,000 --> 00:00:04,000\nB\n')).toBe(
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n\n00:00:03.000 --> 00:00:04.000\nB\n',
    );
  });

  it('collapses extra blank lines before, between and after cues, and whitespace-only lines', () => {
    const input = '\n\n\n1\n00:00:01,000 --> 00:00:02,000\nA\n\n\n \n\t\n2\n00:00:03,000 --> 00:00:04,000\nB\n\n\n\n';
    expect(vtt(input)).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nA\n\n2\n00:00:03.000 --> 00:00:04.000\nB\n');
  });

  it('keeps a cue whole when its text has a blank line inside (WebVTT allows none)', () => {
    expect(vtt('1\n00:00:01,000 --> 00:00:02,000\nA\n\nstill A\n\n2\n00:00:03,000 --> 00:00:04,000\nB\n')).toBe(
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nA\nstill A\n\n2\n00:00:03.000 --> 00:00:04.000\nB\n',
    );
  });

  it('takes hours past 99 as they are', () => {
    expect(vtt('1\n123:59:59,999 --> 1000:00:00,000\nLong\n')).toBe('WEBVTT\n\n1\n123:59:59.999 --> 1000:00:00.000\nLong\n');
  });

  it('pads one-digit fields and short milliseconds, and reads a dot or missing spaces', () => {
    expect(vtt('1\n0:0:1,5 --> 0:00:02.25\nA\n')).toBe('WEBVTT\n\n1\n00:00:01.500 --> 00:00:02.250\nA\n');
    expect(vtt('1\n00:00:01,000-->00:00:02,000\nA\n')).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nA\n');
  });

  it('handles a missing final newline', () => {
    expect(vtt('1\n00:00:01,000 --> 00:00:02,000\nLast')).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nLast\n');
  });

  it('drops SubRip position coordinates after the end time', () => {
    expect(vtt('1\n00:00:01,000 --> 00:00:02,000  X1:100 X2:600 Y1:50 Y2:80\nBoxed\n')).toBe('WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nBoxed\n');
  });

  it('keeps formatting tags and escapes what would break a WebVTT cue', () => {
    expect(vtt('1\n00:00:01,000 --> 00:00:02,000\n<i>so</i> a --> b, 1 < 2 <b>x</b>\n')).toBe(
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<i>so</i> a --&gt; b, 1 &lt; 2 <b>x</b>\n',
    );
  });

  it('keeps a number in the text that does not stand right before a timing line', () => {
    expect(vtt('1\n00:00:01,000 --> 00:00:02,000\n2019\n\n2\n00:00:03,000 --> 00:00:04,000\n42\n')).toBe(
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n2019\n\n2\n00:00:03.000 --> 00:00:04.000\n42\n',
    );
  });

  it('keeps a cue with no text, and ignores text before the first cue', () => {
    expect(vtt('garbage\n\n1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nB\n')).toBe(
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n\n2\n00:00:03.000 --> 00:00:04.000\nB\n',
    );
  });

  it('answers a bare header for an empty file or one without cues', () => {
    expect(srtToVtt(Buffer.alloc(0))).toBe('WEBVTT\n');
    expect(vtt('not subtitles at all\n')).toBe('WEBVTT\n');
    expect(srtToVtt(Buffer.from([0xef, 0xbb, 0xbf]))).toBe('WEBVTT\n');
  });
});
