// What an app imports to mount the media routes or plug in its own storage.
// Everything here keeps its name when files move inside src/media/, so the
// folder's layout can follow the code without breaking any user.
export { MediaModule } from './media.module.js';
export type { MediaModuleExtras } from './media.module-definition.js';
export {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_OPEN_FILE_CACHE_MS,
  MEDIA_OPTIONS,
  type MediaModuleOptions,
  type MediaOptions,
  type MediaStorageOptions,
} from './media-options.js';
export {
  BUFFERED_BODY_MAX_BYTES,
  MEDIA_REPOSITORY,
  isSelfWriting,
  type MediaItem,
  type MediaRepository,
  type MediaSource,
  type SelfWritingStream,
} from './storage/media.repository.js';
export { MediaChangedError, MediaStorageUnavailableError } from './storage/media-errors.js';
export { SIDECAR_STORE, type SidecarStore } from './storage/sidecar-store.js';
export type { StoredFile } from './storage/media-scanner.js';
export { FileSystemMediaRepository } from './storage/fs/fs-media.repository.js';
export { RangeStreamService } from './streaming/range-stream.service.js';
export { StreamFastPath } from './api/stream-fast-path.js';
export { MediaLibraryService, type MediaPage } from './api/media-library.service.js';
