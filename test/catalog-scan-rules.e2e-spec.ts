import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { TestApp, makeMediaRoot, removeRoot, startApp } from './support/test-app.js';

/**
 * The scan's safety rules for sidecars, as for media: inside the root, no
 * dotfiles or dot-folders, a link counted only when its real target is
 * inside the root and of the same kind, linked folders not walked.
 */

let root: string;
let outside: string;
let t: TestApp;

beforeAll(async () => {
  root = await makeMediaRoot();
  outside = await realpath(await mkdtemp(path.join(tmpdir(), 'catalog-outside-')));
  await writeFile(path.join(outside, 'clip.fr.vtt'), 'WEBVTT\n');
  await writeFile(path.join(outside, 'other.mp4'), 'x');
  await mkdir(path.join(root, 'tracks'));
  await mkdir(path.join(root, '.hidden'));
  await writeFile(path.join(root, 'clip.mp4'), 'x');
  await writeFile(path.join(root, 'tracks', 'real.vtt'), 'WEBVTT\n');
  await writeFile(path.join(root, '.hidden', 'x.vtt'), 'WEBVTT\n');
  await writeFile(path.join(root, 'notes.txt'), 'not a track');
  // Counted: a link to a track inside the root.
  await symlink(path.join(root, 'tracks', 'real.vtt'), path.join(root, 'clip.en.vtt'));
  // Not counted: a target outside, a target of another kind, a target in a dot-folder.
  await symlink(path.join(outside, 'clip.fr.vtt'), path.join(root, 'clip.fr.vtt'));
  await symlink(path.join(root, 'notes.txt'), path.join(root, 'clip.de.vtt'));
  await symlink(path.join(root, '.hidden', 'x.vtt'), path.join(root, 'clip.es.vtt'));
  await writeFile(path.join(root, '.clip.it.vtt'), 'WEBVTT\n');
  // A linked folder is not walked: its media and sidecars are not listed.
  await symlink(outside, path.join(root, 'linked'));
  await writeFile(path.join(outside, 'clip.jpg'), 'jpeg');
  t = await startApp(root);
});

afterAll(async () => {
  await t.close();
  await removeRoot(root);
  await rm(outside, { recursive: true, force: true });
});

describe('the scan of sidecars', () => {
  it('counts only tracks that follow the media rules', async () => {
    const res = await request(t.baseUrl).get('/api/videos').expect(200);
    expect(res.body.items.map((item: { id: string }) => item.id)).toEqual(['clip.mp4']);
    expect(res.body.items[0].subtitles.map((track: { track: string }) => track.track)).toEqual(['en']);
  });
});
