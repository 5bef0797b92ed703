import type { MediaOptions } from '../../media-options.js';
import { MediaTypes } from '../media-types.js';
import type { ProgramInput, ProgramInputSource } from '../program-input.js';
import { MediaRoot } from './fs-media-root.js';
import { fileItem } from './fs-media-item.js';

/**
 * Opens items with the root's checked open (the descriptor is the file inside
 * the root, whatever links or swaps happen), for a child to read as its fd 3.
 * Not through the open-file cache: the descriptor must stay open for the
 * whole run, and the caller closes it.
 */
export class FsProgramInputSource implements ProgramInputSource {
  private readonly types: MediaTypes;
  private readonly root: MediaRoot;

  constructor(root: string, options: Pick<MediaOptions, 'extensions'>) {
    this.types = new MediaTypes(options.extensions);
    const types = this.types;
    this.root = new MediaRoot(root, (name) => types.isMedia(name));
  }

  async openForProgram(id: string): Promise<ProgramInput | null> {
    const file = await this.root.openChecked(id);
    if (file === null) return null;
    let closed = false;
    return {
      kind: 'fd',
      fd: file.handle.fd,
      item: fileItem(id, file.stats, this.types),
      close: async () => {
        if (closed) return;
        closed = true;
        await file.handle.close();
      },
    };
  }
}
