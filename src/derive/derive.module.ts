import { Global, Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { dataConfig } from '../config/data.config.js';
import { deriveConfig } from '../config/derive.config.js';
import { MEDIA_OPTIONS, type MediaOptions } from '../media/media-options.js';
import { MEDIA_REPOSITORY, type MediaRepository } from '../media/storage/media.repository.js';
import { PROGRAM_INPUT_SOURCE, type ProgramInputSource } from '../media/storage/program-input.js';
import { SIDECAR_STORE, type SidecarStore } from '../media/storage/sidecar-store.js';
import { PosterController } from './api/poster.controller.js';
import { METADATA_PROBER } from './media-metadata.js';
import { FsPosterCache } from './posters/fs-poster-cache.js';
import { POSTER_CACHE, type PosterCache } from './posters/poster-cache.js';
import { PosterMaker } from './posters/poster-maker.js';
import { PosterService } from './posters/poster.service.js';
import { FfprobeMetadataProber } from './probe/ffprobe-metadata.prober.js';
import { PROBE_LISTENER, type ProbeListener } from './probe/probe-listener.js';
import { locatePrograms } from './programs/program-locator.js';
import { PROGRAM_RUNNER, PROGRAM_RUN_LISTENER, type ProgramRunListener, type ProgramRunner } from './programs/program-runner.js';
import { SpawnProgramRunner } from './programs/spawn-program-runner.js';

const optional = <T>(token: T) => ({ token, optional: true });

function createRunner(settings: ConfigType<typeof deriveConfig>, listener: ProgramRunListener | undefined): ProgramRunner {
  const programs = locatePrograms({ ffprobe: settings.ffprobePath, ffmpeg: settings.ffmpegPath });
  return new SpawnProgramRunner(
    { programs, concurrency: settings.probeConcurrency, timeoutSeconds: settings.probeTimeoutSeconds },
    listener ?? null,
  );
}

/**
 * What is derived from media bytes: metadata (ffprobe) and posters (ffmpeg),
 * through one PROGRAM_RUNNER. Global, so the catalog can inject
 * METADATA_PROBER. Needs MediaModule (global): MEDIA_REPOSITORY,
 * SIDECAR_STORE, PROGRAM_INPUT_SOURCE. Bind PROGRAM_RUN_LISTENER or
 * PROBE_LISTENER (optional) to count runs and probe results.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(deriveConfig), ConfigModule.forFeature(dataConfig)],
  controllers: [PosterController],
  providers: [
    { provide: PROGRAM_RUNNER, inject: [deriveConfig.KEY, optional(PROGRAM_RUN_LISTENER)], useFactory: createRunner },
    {
      provide: FfprobeMetadataProber,
      inject: [PROGRAM_RUNNER, PROGRAM_INPUT_SOURCE, optional(PROBE_LISTENER)],
      useFactory: (runner: ProgramRunner, inputs: ProgramInputSource | null, listener: ProbeListener | undefined) =>
        new FfprobeMetadataProber(runner, inputs, listener ?? null),
    },
    { provide: METADATA_PROBER, useExisting: FfprobeMetadataProber },
    { provide: POSTER_CACHE, inject: [dataConfig.KEY], useFactory: (data: ConfigType<typeof dataConfig>) => new FsPosterCache(data.dataDir) },
    { provide: PosterMaker, inject: [PROGRAM_RUNNER], useFactory: (runner: ProgramRunner) => new PosterMaker(runner) },
    {
      provide: PosterService,
      inject: [MEDIA_REPOSITORY, SIDECAR_STORE, PROGRAM_INPUT_SOURCE, FfprobeMetadataProber, PosterMaker, POSTER_CACHE, MEDIA_OPTIONS],
      useFactory: (
        repository: MediaRepository,
        sidecars: SidecarStore,
        inputs: ProgramInputSource | null,
        prober: FfprobeMetadataProber,
        maker: PosterMaker,
        cache: PosterCache,
        options: MediaOptions,
      ) => new PosterService(repository, sidecars, inputs, prober, maker, cache, options.cacheMaxAge),
    },
  ],
  exports: [METADATA_PROBER, PROGRAM_RUNNER],
})
export class DeriveModule {}
