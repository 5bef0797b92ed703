import { StreamableFile } from '@nestjs/common';

type StreamableFileOptions = NonNullable<ConstructorParameters<typeof StreamableFile>[1]>;

/**
 * A StreamableFile whose bytes are already in memory, kept reachable so that
 * a writer that knows this class (the stream fast path) sends them with one
 * `end(bytes)` instead of piping a one-chunk stream. Nest still streams it
 * like any other StreamableFile.
 */
export class BufferedFile extends StreamableFile {
  constructor(
    readonly bytes: Buffer,
    options: StreamableFileOptions,
  ) {
    super(bytes, options);
  }
}
