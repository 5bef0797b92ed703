import { ConfigurableModuleBuilder, Provider, Type } from '@nestjs/common';
import { MEDIA_REPOSITORY, type MediaRepository } from './storage/media.repository.js';
import { MediaModuleOptions } from './media-options.js';
import { createDefaultRepository, createDefaultSidecarStore } from './storage/repository.factory.js';
import { EmptySidecarStore } from './storage/empty-sidecar-store.js';
import { SIDECAR_STORE, type SidecarStore } from './storage/sidecar-store.js';
import { MEDIA_OPTIONS } from './media-options.js';

export interface MediaModuleExtras {
  /** A repository class of your own, bound to MEDIA_REPOSITORY instead of the default. */
  repository?: Type<MediaRepository>;
  /** A sidecar store of your own (subtitles, poster images), bound to SIDECAR_STORE instead of the default. */
  sidecarStore?: Type<SidecarStore>;
  /** Registers the module globally, so feature modules need not import it. */
  isGlobal?: boolean;
}

function repositoryProvider(repository: Type<MediaRepository> | undefined): Provider {
  return repository !== undefined
    ? { provide: MEDIA_REPOSITORY, useClass: repository }
    : { provide: MEDIA_REPOSITORY, inject: [MEDIA_OPTIONS], useFactory: createDefaultRepository };
}

// A repository of your own keeps its files where the default stores cannot
// look, so it gets no sidecars unless a sidecar store of its own is given.
function sidecarStoreProvider(extras: MediaModuleExtras): Provider {
  if (extras.sidecarStore !== undefined) return { provide: SIDECAR_STORE, useClass: extras.sidecarStore };
  return extras.repository !== undefined
    ? { provide: SIDECAR_STORE, useClass: EmptySidecarStore }
    : { provide: SIDECAR_STORE, inject: [MEDIA_OPTIONS], useFactory: createDefaultSidecarStore };
}

export const {
  ConfigurableModuleClass: ConfigurableMediaModule,
  MODULE_OPTIONS_TOKEN: MEDIA_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<MediaModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<MediaModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), repositoryProvider(extras.repository), sidecarStoreProvider(extras)],
  }))
  .build();
