import { ConfigurableModuleBuilder, Provider, Type } from '@nestjs/common';
import { MEDIA_REPOSITORY, type MediaRepository } from './storage/media.repository.js';
import { MediaModuleOptions } from './media-options.js';
import { MEDIA_SCANNER } from './storage/media-scanner.js';
import { createDefaultRepository, createDefaultScanner } from './storage/repository.factory.js';
import { MEDIA_OPTIONS } from './media-options.js';

export interface MediaModuleExtras {
  /** A repository class of your own, bound to MEDIA_REPOSITORY instead of the default. */
  repository?: Type<MediaRepository>;
  /** Registers the module globally, so feature modules need not import it. */
  isGlobal?: boolean;
}

function repositoryProvider(repository: Type<MediaRepository> | undefined): Provider {
  return repository !== undefined
    ? { provide: MEDIA_REPOSITORY, useClass: repository }
    : { provide: MEDIA_REPOSITORY, inject: [MEDIA_OPTIONS], useFactory: createDefaultRepository };
}

export const {
  ConfigurableModuleClass: ConfigurableMediaModule,
  MODULE_OPTIONS_TOKEN: MEDIA_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<MediaModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<MediaModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [
      ...(definition.providers ?? []),
      repositoryProvider(extras.repository),
      { provide: MEDIA_SCANNER, inject: [MEDIA_OPTIONS, MEDIA_REPOSITORY], useFactory: createDefaultScanner },
    ],
  }))
  .build();
