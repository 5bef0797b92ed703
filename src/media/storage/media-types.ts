import mime from 'mime-types';

/** The default MEDIA_EXTENSIONS: common video and audio containers. */
export const DEFAULT_MEDIA_EXTENSIONS: readonly string[] = [
  'mp4', 'm4v', 'mov', 'webm', 'mkv', 'ogv', 'avi', 'mpg', 'mpeg', 'ts', 'm2ts', '3gp',
  'mp3', 'm4a', 'aac', 'oga', 'ogg', 'opus', 'wav', 'flac', 'weba',
];

/** Lower-case extension of a name without the dot, or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const slash = name.lastIndexOf('/');
  return dot > slash + 1 ? name.slice(dot + 1).toLowerCase() : '';
}

export class MediaTypes {
  private readonly extensions: ReadonlySet<string>;

  constructor(extensions: readonly string[]) {
    this.extensions = new Set(extensions.map((ext) => ext.toLowerCase()));
  }

  isMedia(name: string): boolean {
    return this.extensions.has(extensionOf(name));
  }

  /** Content-Type from the extension; octet-stream when the extension is unknown. */
  contentType(name: string): string {
    const type = mime.lookup(name);
    return type === false ? 'application/octet-stream' : type;
  }
}
