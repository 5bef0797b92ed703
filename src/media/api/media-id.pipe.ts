import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../../common/api-error.js';
import { malformedIdReason } from '../storage/media-id.js';

/** Rejects malformed IDs with 400 before anything looks at storage. */
@Injectable()
export class MediaIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const reason = malformedIdReason(value);
    if (reason !== null) {
      throw new ApiError(400, reason);
    }
    return value;
  }
}
