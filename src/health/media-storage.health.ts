import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MEDIA_REPOSITORY, type MediaRepository } from '../media/storage/media.repository.js';

/** Up while the media storage can be read, whichever backend holds it. */
@Injectable()
export class MediaStorageHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(MEDIA_REPOSITORY) private readonly repository: MediaRepository,
  ) {}

  async check(): Promise<HealthIndicatorResult<'media'>> {
    const session = this.indicators.check('media');
    try {
      await this.repository.ping();
      return session.up();
    } catch {
      // A fixed message: the error's own text would name the server's path.
      return session.down({ message: 'The media storage cannot be read.' });
    }
  }
}
