import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Sidecar subtitle files for the e2e tests, each with the exact bytes the
 * subtitles route must answer for it.
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const CLIP_MP4 = readFileSync(path.join(FIXTURES, 'clip.mp4'));

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** WebVTT with a BOM and CRLF: served as is, byte for byte. */
export const DEFAULT_VTT = Buffer.concat([BOM, Buffer.from('WEBVTT\r\n\r\n00:00:00.000 --> 00:00:01.000\r\nDefault, as is\r\n')]);

/** SubRip with a BOM, CRLF, commas in timings and in the text. */
export const EN_SRT = Buffer.concat([
  BOM,
  Buffer.from('1\r\n00:00:00,000 --> 00:00:01,500\r\nHello, world\r\n\r\n2\r\n00:00:01,500 --> 00:00:03,000\r\n<i>Bye</i>, 1,000 times\r\n'),
]);
export const EN_VTT = Buffer.from('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHello, world\n\n2\n00:00:01.500 --> 00:00:03.000\n<i>Bye</i>, 1,000 times\n');

/** SubRip in Windows-1252 ("café", é = 0xE9), with a lone-CR line end and no final newline. */
export const PT_BR_SRT = Buffer.concat([Buffer.from('1\r00:00:00,000 --> 00:00:02,000\rUm caf'), Buffer.from([0xe9]), Buffer.from(' \x93forte\x94', 'latin1')]);
export const PT_BR_VTT = Buffer.from('WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nUm café “forte”\n', 'utf8');

/** Both forms of one track: the WebVTT file wins. */
export const FR_VTT = Buffer.from('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nBonjour\n');
export const FR_SRT = Buffer.from('1\n00:00:00,000 --> 00:00:01,000\nPas moi\n');

export const SECRET_VTT = Buffer.from('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nTOP-SECRET\n');

/** The files every backend holds, by ID. */
export const SUBTITLE_LIBRARY: Record<string, Buffer> = {
  'show/clip.mp4': CLIP_MP4,
  'show/clip.vtt': DEFAULT_VTT,
  'show/clip.en.srt': EN_SRT,
  'show/clip.pt-BR.srt': PT_BR_SRT,
  'show/clip.fr.vtt': FR_VTT,
  'show/clip.fr.srt': FR_SRT,
  'show/.clip.it.vtt': SECRET_VTT,
  'show/clip2.ko.vtt': SECRET_VTT,
};

export const ITEM = 'show/clip.mp4';
export const subtitlePath = (id: string, track: string): string => `/api/videos/${encodeURIComponent(id)}/subtitles/${encodeURIComponent(track)}`;
