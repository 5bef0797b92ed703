import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaSource } from '../media.repository.js';
import { FileSystemSidecarStore } from './fs-sidecar-store.js';

async function bytesOf(source: MediaSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const reader: Readable = await source.read(0, source.item.size - 1);
  for await (const chunk of reader) chunks.push(chunk as Buffer);
  await source.close();
  return Buffer.concat(chunks);
}

describe('FileSystemSidecarStore', () => {
  let base: string;
  let root: string;
  let store: FileSystemSidecarStore;

  beforeAll(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'sidecars-'));
    root = path.join(base, 'media');
    mkdirSync(path.join(root, 'shows', 'clip'), { recursive: true });
    mkdirSync(path.join(root, 'shows', 'folder.vtt'));
    const files: Record<string, string> = {
      'shows/clip.mp4': 'MEDIA',
      'shows/clip.vtt': 'WEBVTT\n',
      'shows/clip.en.srt': '1\n00:00:00,000 --> 00:00:01,000\nhi\n',
      'shows/clip.pt-BR.vtt': 'WEBVTT\n\nola\n',
      'shows/clip.jpg': 'JPEG',
      'shows/clip2.vtt': 'WEBVTT\n',
      'shows/clip.txt': 'notes',
      'shows/.clip.fr.vtt': 'WEBVTT\n',
      'shows/clip/inner.vtt': 'WEBVTT\n',
      'top.mp4': 'MEDIA',
      'top.vtt': 'WEBVTT top\n',
    };
    for (const [id, text] of Object.entries(files)) writeFileSync(path.join(root, id), text);
    writeFileSync(path.join(base, 'secret.vtt'), 'WEBVTT secret\n');
    // A link out of the root, a link to a media file named as a sidecar, a dangling link, and a good link.
    symlinkSync(path.join(base, 'secret.vtt'), path.join(root, 'shows', 'clip.de.vtt'));
    symlinkSync(path.join(root, 'shows', 'clip.mp4'), path.join(root, 'shows', 'clip.es.vtt'));
    symlinkSync(path.join(root, 'missing.vtt'), path.join(root, 'shows', 'clip.it.vtt'));
    symlinkSync(path.join(root, 'top.vtt'), path.join(root, 'shows', 'clip.nl.vtt'));
    store = new FileSystemSidecarStore(root, 65536);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("finds the item's sidecars in its folder and nothing else", async () => {
    const found = await store.findSidecars('shows/clip.mp4');
    expect(found.map((file) => file.id)).toEqual(['shows/clip.en.srt', 'shows/clip.jpg', 'shows/clip.nl.vtt', 'shows/clip.pt-BR.vtt', 'shows/clip.vtt']);
    const vtt = found.find((file) => file.id === 'shows/clip.vtt');
    expect(vtt?.size).toBe(7);
    expect(vtt?.etag).toMatch(/^"[^"]+"$/);
    expect(Number.isFinite(vtt?.modifiedAt.getTime())).toBe(true);
  });

  it('finds sidecars at the root too, and none for an item in a missing folder', async () => {
    expect((await store.findSidecars('top.mp4')).map((file) => file.id)).toEqual(['top.vtt']);
    expect(await store.findSidecars('nowhere/clip.mp4')).toEqual([]);
  });

  it('refuses malformed and hidden item IDs without touching storage', async () => {
    expect(await store.findSidecars('../media/shows/clip.mp4')).toEqual([]);
    expect(await store.findSidecars('shows/.clip.mp4')).toEqual([]);
  });

  it('opens a sidecar and reads its bytes', async () => {
    const source = await store.openSidecar('shows/clip.pt-BR.vtt');
    expect(source?.item.mimeType).toBe('text/vtt');
    expect((await bytesOf(source!)).toString()).toBe('WEBVTT\n\nola\n');
  });

  it('follows a link to a sidecar inside the root', async () => {
    const source = await store.openSidecar('shows/clip.nl.vtt');
    expect((await bytesOf(source!)).toString()).toBe('WEBVTT top\n');
  });

  it.each([
    ['a link out of the root', 'shows/clip.de.vtt'],
    ['a link to a media file named .vtt', 'shows/clip.es.vtt'],
    ['a dangling link', 'shows/clip.it.vtt'],
    ['a dotfile', 'shows/.clip.fr.vtt'],
    ['a missing file', 'shows/clip.ko.vtt'],
    ['a media file', 'shows/clip.mp4'],
    ['a file that is no sidecar', 'shows/clip.txt'],
    ['a path out of the root', '../secret.vtt'],
    ['a folder named as a sidecar', 'shows/folder.vtt'],
  ])('does not open %s', async (_, id) => {
    expect(await store.openSidecar(id)).toBeNull();
  });
});
